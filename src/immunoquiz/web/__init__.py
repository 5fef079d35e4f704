"""The class check in the trainees' browsers: an aiohttp server with Jinja2 pages.

The only package that imports aiohttp or jinja2.
"""
