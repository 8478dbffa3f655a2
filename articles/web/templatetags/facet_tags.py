"""The template tag for a facet's options in the article browser
(``articles/web/fragments/facet_option.py``)."""

from django import template

from articles.web.fragments.facet_option import facet_options

register = template.Library()

register.simple_tag(facet_options)
