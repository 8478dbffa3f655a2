"""Revision history (django-reversion): what is kept with each record, and restores.

A restore writes the old rows back raw, past the models' ``save()``; the receivers below redo
what ``save()`` would have done for the denormalised copies on mentions.
"""

import reversion
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .articles import Article, ArticleTopic, Mention
from .people import OtherName, Party, PartyMembership, Politician, Role

# An article's revision keeps its mentions and topics; a politician's keeps memberships, posts
# and other names.
reversion.register(Article, follow=["mentions", "articletopic_set"])
reversion.register(Mention)
reversion.register(ArticleTopic)
reversion.register(Politician, follow=["memberships", "roles", "other_names"])
reversion.register(PartyMembership)
reversion.register(Role)
reversion.register(OtherName)
reversion.register(Party)


@receiver(post_save, sender=Article)
def _restored_article(sender, instance, raw, **kwargs):
    if raw:
        instance.mentions.update(published_on=instance.published_on)
        instance.mentions.all().refresh_parties()


@receiver(post_save, sender=Mention)
def _restored_mention(sender, instance, raw, **kwargs):
    if raw:
        published_at = (
            Article.objects.filter(pk=instance.article_id)
            .values_list("published_at", flat=True)
            .first()
        )
        if published_at:
            mention = Mention.objects.filter(pk=instance.pk)
            mention.update(published_on=Article(published_at=published_at).published_on)
            mention.refresh_parties()


@receiver(post_save, sender=PartyMembership)
def _restored_membership(sender, instance, raw, **kwargs):
    if raw:
        Mention.objects.filter(politician_id=instance.politician_id).refresh_parties()


@receiver(post_delete, sender=PartyMembership)
def _membership_gone(sender, instance, **kwargs):
    # Deletes that bypass PartyMembership.delete() (queryset deletes, restores that remove rows
    # added since) still leave every mention with the right party.
    Mention.objects.filter(politician_id=instance.politician_id).refresh_parties()
