"""Template tags for the fragments a page repeats dozens of times (``articles/web/fragments``):
timeline entries, article cards, party badges, the home page's lists, a chart's data table, the
timeline's topic options, the article page's politicians and related articles, and the party
page's latest articles and members. The markup lives in the fragments' modules only."""

from django import template

from articles.web.fragments import article_page, coverage_row, home_lists, party_page
from articles.web.fragments.party_badge import party_badge
from articles.web.fragments.result_card import article_cards
from articles.web.fragments.timeline_entry import timeline_entries
from articles.web.fragments.topic_option import topic_options

register = template.Library()

# ``{% party_badge party short=True plain=True %}``
register.simple_tag(party_badge)
register.simple_tag(article_cards)
register.simple_tag(timeline_entries)
register.simple_tag(home_lists.home_covered)
register.simple_tag(home_lists.home_parties)
register.simple_tag(coverage_row.coverage_table_rows)
register.simple_tag(topic_options)
register.simple_tag(article_page.mention_items)
register.simple_tag(article_page.related_items)
register.simple_tag(party_page.current_member_items)
register.simple_tag(party_page.former_member_items)
register.simple_tag(party_page.party_article_items)
