"""Revision history (django-reversion): what is kept with each record.

A restore writes the old rows back raw; ``articles.derived.signals`` brings what is derived from
them (the mentions' copies, the stored counts) up to date.
"""

import reversion

from .articles import Article, ArticleAuthor, ArticleTopic, Mention
from .people import OtherName, Party, PartyMembership, Politician, Role

# An article's revision keeps its mentions, topics and authors; a politician's keeps
# memberships, posts and other names.
reversion.register(Article, follow=["mentions", "articletopic_set", "articleauthor_set"])
reversion.register(Mention)
reversion.register(ArticleTopic)
reversion.register(ArticleAuthor)
reversion.register(Politician, follow=["memberships", "roles", "other_names"])
reversion.register(PartyMembership)
reversion.register(Role)
reversion.register(OtherName)
reversion.register(Party)
