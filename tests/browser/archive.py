"""A small archive for page-level tests: real shapes, known numbers.

Three parties, five politicians (one of whom left the Conservatives for UKIP), two sources, three
topics and eight published articles (plus a draft no reader may see).
"""

import datetime as dt
from types import SimpleNamespace

from articles.models import Mention
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    SourceFactory,
    TopicFactory,
    on,
)

SUBJECT, QUOTED, MENTIONED = Mention.Role.SUBJECT, Mention.Role.QUOTED, Mention.Role.MENTIONED


def build_archive():
    labour = PartyFactory(name="Labour Party", short_name="Labour", colour="#E4003B")
    conservatives = PartyFactory(
        name="Conservative Party", short_name="Conservatives", colour="#0087DC"
    )
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP", colour="#6D3177")

    corbyn = PoliticianFactory(
        name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn", sort_name="Corbyn, Jeremy"
    )
    benn = PoliticianFactory(
        name="Hilary Benn", given_name="Hilary", family_name="Benn", sort_name="Benn, Hilary"
    )
    may = PoliticianFactory(
        name="Theresa May", given_name="Theresa", family_name="May", sort_name="May, Theresa"
    )
    cameron = PoliticianFactory(
        name="David Cameron", given_name="David", family_name="Cameron", sort_name="Cameron, David"
    )
    carswell = PoliticianFactory(
        name="Douglas Carswell",
        given_name="Douglas",
        family_name="Carswell",
        sort_name="Carswell, Douglas",
        birth_date=dt.date(1971, 5, 3),
    )
    OtherNameFactory(politician=corbyn, name="Jez")

    MembershipFactory(politician=corbyn, party=labour, start_date=dt.date(1983, 6, 9))
    MembershipFactory(politician=benn, party=labour, start_date=dt.date(1999, 6, 10))
    MembershipFactory(politician=may, party=conservatives, start_date=dt.date(1997, 5, 1))
    MembershipFactory(politician=cameron, party=conservatives, start_date=dt.date(2001, 6, 7))
    MembershipFactory(
        politician=carswell,
        party=conservatives,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(
        politician=carswell,
        party=ukip,
        start_date=dt.date(2014, 8, 28),
        end_date=dt.date(2017, 3, 24),
    )
    RoleFactory(
        politician=corbyn,
        title="Leader of the Labour Party",
        organisation="Labour Party",
        start_date=dt.date(2015, 9, 12),
        end_date=dt.date(2020, 4, 4),
    )
    RoleFactory(
        politician=may,
        title="Prime Minister",
        start_date=dt.date(2016, 7, 13),
        end_date=dt.date(2019, 7, 24),
    )
    RoleFactory(
        politician=cameron,
        title="Prime Minister",
        start_date=dt.date(2010, 5, 11),
        end_date=dt.date(2016, 7, 13),
    )

    guardian = SourceFactory(name="The Guardian", homepage="https://www.theguardian.com/")
    bbc = SourceFactory(name="BBC News", homepage="https://www.bbc.co.uk/news")
    brexit = TopicFactory(name="Brexit")
    economy = TopicFactory(name="Economy")
    leadership = TopicFactory(name="Party leadership")
    staff = AuthorFactory(name="Political staff")

    def article(headline, when, source, topics, mentions, body=None, status="published"):
        item = ArticleFactory(
            headline=headline,
            standfirst=f"{headline}: the story so far.",
            body=body or f"{headline}.\n\nA second paragraph with more detail.",
            published_at=when,
            source=source,
            byline="Political staff",
            topics=topics,
            authors=[staff],
            status=status,
        )
        for politician, role in mentions:
            MentionFactory(article=item, politician=politician, role=role)
        return item

    articles = [
        article(
            "Carswell warns Conservatives over Europe",
            on(2013, 3, 4),
            bbc,
            [brexit],
            [(carswell, SUBJECT), (cameron, MENTIONED)],
        ),
        article(
            "Carswell defects to UKIP and calls a by-election",
            on(2014, 8, 28),
            guardian,
            [brexit, leadership],
            [(carswell, SUBJECT), (cameron, QUOTED)],
        ),
        article(
            "Corbyn elected Labour leader by a landslide",
            on(2015, 9, 12),
            guardian,
            [leadership],
            [(corbyn, SUBJECT), (benn, MENTIONED)],
        ),
        article(
            "Cameron sets the date for the EU referendum",
            on(2016, 2, 20),
            bbc,
            [brexit],
            [(cameron, SUBJECT), (carswell, QUOTED)],
            body=(
                "The prime minister announced that the referendum on membership of the "
                "European Union will be held on 23 June.\n\n"
                "Campaigners on both sides welcomed a date for the referendum."
            ),
        ),
        article(
            "Britain votes to leave the European Union",
            on(2016, 6, 24),
            bbc,
            [brexit, economy],
            [(cameron, SUBJECT), (corbyn, MENTIONED), (may, MENTIONED)],
            body=(
                "The United Kingdom has voted to leave the European Union in the referendum.\n\n"
                "Markets fell sharply as the result became clear overnight."
            ),
        ),
        article(
            "Benn sacked as shadow foreign secretary",
            on(2016, 6, 26),
            guardian,
            [leadership],
            [(benn, SUBJECT), (corbyn, QUOTED)],
        ),
        article(
            "May becomes prime minister",
            on(2016, 7, 13),
            bbc,
            [leadership, brexit],
            [(may, SUBJECT), (cameron, MENTIONED)],
        ),
        article(
            "Budget forecasts revised after the vote",
            on(2016, 11, 23),
            guardian,
            [economy],
            [(may, MENTIONED)],
        ),
    ]
    draft = article(
        "Unpublished draft about Corbyn",
        on(2016, 6, 27),
        guardian,
        [leadership],
        [(corbyn, SUBJECT)],
        status="draft",
    )

    return SimpleNamespace(
        parties=SimpleNamespace(labour=labour, conservatives=conservatives, ukip=ukip),
        politicians=SimpleNamespace(
            corbyn=corbyn, benn=benn, may=may, cameron=cameron, carswell=carswell
        ),
        sources=SimpleNamespace(guardian=guardian, bbc=bbc),
        topics=SimpleNamespace(brexit=brexit, economy=economy, leadership=leadership),
        articles=articles,
        draft=draft,
    )


def page_types(archive):
    """One URL of every page type a reader can reach, keyed by a short name."""
    parties, people = archive.parties, archive.politicians
    return {
        "home": "/",
        "browse": "/articles/",
        "browse-filtered": (
            f"/articles/?party={parties.labour.slug}&topic={archive.topics.leadership.slug}"
            "&year=2016"
        ),
        "search": "/articles/?q=referendum",
        "article": archive.articles[4].get_absolute_url(),
        "politicians": "/politicians/",
        "politician": people.carswell.get_absolute_url(),
        "parties": "/parties/",
        "party": parties.conservatives.get_absolute_url(),
        "topic": archive.topics.brexit.get_absolute_url(),
        "source": archive.sources.bbc.get_absolute_url(),
        "data": "/data/",
        "browse-together": (
            f"/articles/?politician={people.corbyn.slug}&politician={people.benn.slug}&together=1"
        ),
        "dumps": "/export/dumps/",
        "compare": (
            f"/compare/?politician={people.corbyn.slug}&politician={people.carswell.slug}"
            f"&party={parties.labour.slug}&party={parties.ukip.slug}"
        ),
        "compare-empty": "/compare/",
    }


def variants(archive):
    """The states of pages that the page types do not show: answers to parameters that cannot
    be understood, a search naming a politician, a party with front-bench posts and members
    since an unknown date. {name: (url, status)}"""
    people, conservatives = archive.politicians, archive.parties.conservatives
    RoleFactory(politician=people.may, title="Home Secretary", organisation=conservatives.name)
    MembershipFactory(
        politician=PoliticianFactory(name="Undated Member"), party=conservatives, start_date=None
    )
    politician = people.carswell.get_absolute_url()
    topic = archive.topics.brexit.get_absolute_url()
    return {
        "politician-bad-year": (f"{politician}?year=abc", 400),
        "politician-past-the-end": (f"{politician}?page=99", 404),
        "topic-bad-page": (f"{topic}?page=abc", 400),
        "topic-past-the-end": (f"{topic}?page=99", 404),
        "search-naming-someone": ("/articles/?q=jeremy+corbin", 200),
        "party-front-bench": (conservatives.get_absolute_url(), 200),
    }
