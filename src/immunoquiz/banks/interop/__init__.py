"""Interop with Moodle and Anki: import GIFT and Moodle XML, export GIFT, Moodle XML and .apkg.

Headless and below every client. Reading is two steps, so each can be checked on its
own: a reader (`gift_read`, `xml_read`) turns a file into `MoodleQuestion`s exactly as
Moodle's own importer would store them (the conformance corpus pins this), then
`mapping` turns those into bank items, and `importer` validates them with the bank
loader. Writers take a loaded `Bank`.
"""
