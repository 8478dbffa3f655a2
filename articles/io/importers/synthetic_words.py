"""Words and names for the synthetic archive (any likeness to a real person is chance)."""


def split_words(words):
    return words.split()


GIVEN_NAMES = split_words("""
Adam Alan Alice Alison Andrew Angela Anna Anne Ben Bridget Caroline Catherine Charles Chris Claire
Daniel David Diane Edward Eleanor Emily Emma Fiona Frances George Graham Hannah Harriet Helen Hugh
Ian Isabel James Jane Jeremy John Jonathan Julia Karen Kate Keith Laura Liam Lisa Louise Lucy Mark
Martin Mary Matthew Michael Nadine Naomi Neil Nicola Oliver Patrick Paul Peter Philip Rachel
Rebecca Richard Robert Rosie Ruth Sajid Sally Sarah Simon Sophie Stephen Susan Thomas Tim Tom
Valerie Victoria William Yvette Zoe
""")
FAMILY_NAMES = split_words("""
Abbott Adams Ahmed Ali Allen Anderson Armstrong Atkinson Bailey Baker Banks Barker Barnes Bell
Bennett Benn Berry Bird Bishop Blackwood Booth Bradley Brennan Brooks Brown Burgess Burton Butler
Byrne Campbell Carr Carter Chapman Clarke Cole Collins Cook Cooper Cox Crawford Cunningham Davies
Dawson Dixon Doherty Douglas Doyle Duncan Dunn Edwards Elliott Ellis Evans Farrell Ferguson
Fisher Fleming Fletcher Foster Fox Fraser Gallagher Gardner Gibson Gilbert Gill Gordon Graham
Grant Griffiths Hamilton Hardy Harper Harris Harrison Hart Harvey Hawkins Hayes Henderson Hill
Holmes Hopkins Howard Hughes Hussain Hutchinson Jackson James Jenkins Johnson Jones Kaur Kelly
Kennedy Khan Knight Lambert Lawrence Lawson Lee Lewis Lloyd Lucas Lynch Macdonald Mackenzie
Marshall Martin Mason Matthews McCarthy McDonald Miller Mills Mitchell Moore Morgan Morris
Murphy Murray Nelson Newman Nicholson Norris Owen Palmer Parker Parry Patel Payne Pearce Perry
Phillips Pollard Porter Powell Price Quinn Reid Reynolds Richards Richardson Riley Roberts
Robertson Robinson Rogers Rose Ross Russell Ryan Saunders Scott Shah Sharp Shaw Simpson Singh
Slater Smith Spencer Stevens Stewart Stone Sutton Taylor Thomas Thompson Thomson Todd Turner
Walker Wallace Walsh Ward Watson Watts Webb Wells Whitehead Wilkinson Williams Wilson Woods Wright
""")
PARTY_WORDS = split_words("""
Progressive Liberal Democratic National Social Radical Reform Green Unionist Independent Popular
Civic Workers' Citizens' Federal Regional Alliance Movement Union Forum League Party Coalition
Front Assembly Congress
""")
TOPIC_WORDS = [
    *split_words(
        "Economy Brexit Health Education Housing Immigration Defence Environment Transport"
    ),
    *split_words("Justice Policing Welfare Pensions Taxation Trade Energy Agriculture Fisheries"),
    *split_words("Devolution Elections Parliament Security Culture Sport Science Technology"),
    *split_words(
        "Employment Industry Banking Budget Climate Poverty Childcare Universities Schools"
    ),
    *split_words("Prisons Courts Rail Roads Aviation Water Farming Wales Scotland Europe Equality"),
    "Local government",
    "Foreign affairs",
    "Social care",
    "Northern Ireland",
    "Public services",
]
VERDICTS = ("overdue", "a mistake", "a start", "fair")
VERBS = split_words("defends attacks backs rejects unveils questions warns praises delays launches")
NOUNS = split_words("""
plan budget bill reform strategy deal review policy pledge report vote inquiry cuts spending
campaign proposal manifesto consultation
""")
WORDS = split_words("""
the government said would council minister plans new year people public party vote members local
national said spending services million support former report week committee policy leader cost
funding change call debate labour voters issue review announced office election parliamentary
housing pressure figures business decision rules community department rise lower growth debt
tax schools hospitals workers families crisis warned agreed claimed insisted admitted promised
criticised demanded questioned welcomed rejected backed opposed delayed published leaked revealed
quango ombudsman prorogation filibuster hustings gerrymander psephology backbencher whip
devolution referendum constituency manifesto coalition amendment
""")
