"""Original demo content for a fictional outlet, The Northgate Courier.

Every person, place and event here is invented. FEATURED is built to the shape of the
reference article page: kicker, separate SEO headline, captioned and credited file photo,
three subheadings, several attributed quotes and a wire attribution.
"""

SECTIONS = [
    # (slug, title, intro, parent slug or None)
    ("politics", "Politics", "Power, policy and the people who shape them.", None),
    (
        "election-news",
        "Election News",
        "Campaigns, candidates and the count, from the primaries to election night.",
        "politics",
    ),
    ("business", "Business", "Firms, jobs and the regional economy.", None),
    ("local", "Local", "Northgate's streets, schools, courts and councils.", None),
    ("science", "Science", "Research, climate and health, explained.", None),
]

AUTHORS = [
    # (slug, name, role, bio)
    (
        "mara-okafor",
        "Mara Okafor",
        "Political correspondent",
        "Mara Okafor covers City Hall and the regional assembly. She joined the Courier in "
        "2019 after six years on the statehouse beat.",
    ),
    (
        "daniel-whitlow",
        "Daniel Whitlow",
        "Diplomatic editor",
        "Daniel Whitlow reports on the region's dealings with its neighbours and on trade.",
    ),
    (
        "priya-raman",
        "Priya Raman",
        "Business reporter",
        "Priya Raman writes about employers, housing and the port economy.",
    ),
    (
        "jonas-feld",
        "Jonas Feld",
        "Local news reporter",
        "Jonas Feld covers courts, schools and neighbourhood planning in Northgate.",
    ),
    (
        "lena-sato",
        "Lena Sato",
        "Science and climate reporter",
        "Lena Sato reports on research, public health and the changing river delta.",
    ),
]

# Each image: (key, title, caption, credit, alt text, file photo?, colour)
IMAGES = [
    (
        "compact-signing",
        "Compact signing at City Hall",
        "Mayor Ilse Calder speaks during the signing of the Tessel River compact at City Hall "
        "in Northgate, March 3, 2025.",
        "COURIER WIRE/Tomas Reyes",
        "Mayor Ilse Calder at a lectern in front of three flags, with council leaders seated "
        "behind her.",
        True,
        (32, 64, 112),
    ),
    (
        "ballot-boxes",
        "Ballot boxes at the county depot",
        "Sealed ballot boxes wait to be loaded at the county election depot.",
        "Courier/Ana Ruiz",
        "Rows of grey ballot boxes with numbered seals stacked on pallets in a warehouse.",
        False,
        (90, 90, 100),
    ),
    (
        "harbour-cranes",
        "Harbour cranes at dusk",
        "Container cranes at the East Quay terminal, where volumes rose for a third year.",
        "Courier/Priya Raman",
        "Four container cranes silhouetted against an orange evening sky over the harbour.",
        False,
        (180, 96, 40),
    ),
    (
        "school-hall",
        "Public meeting in a school hall",
        "Parents fill the hall at Westbrook Primary for the consultation on the school's future.",
        "Courier/Jonas Feld",
        "A crowded school hall seen from the back, parents seated on folding chairs facing a "
        "panel.",
        False,
        (60, 120, 70),
    ),
    (
        "river-delta",
        "The Tessel delta from the air",
        "Silt banks in the Tessel delta, where researchers have tracked the shoreline since 1998.",
        "Courier/Lena Sato",
        "An aerial view of a brown river splitting into channels between green marsh islands.",
        False,
        (40, 110, 130),
    ),
    (
        "debate-stage",
        "Candidates on the debate stage",
        "The four candidates for mayor before the televised debate at the Corn Exchange.",
        "COURIER WIRE/Maud Ellery",
        "Four people standing at podiums on a brightly lit stage with a blue backdrop.",
        False,
        (20, 40, 90),
    ),
]

FEATURED = {
    "slug": "calder-allies-reassure-neighbours-river-compact",
    "section": "election-news",
    "kicker": "exclusive",
    "title": "Calder Allies Reassure Neighbouring Towns on River Compact",
    "seo_title": "Exclusive: Calder would keep the Tessel River compact, allies tell "
    "neighbouring councils",
    "social_title": "Calder allies tell neighbours the river compact is safe",
    "dek": "Advisers close to mayoral candidate Ilse Calder have told officials in Harwick and "
    "Lowmere that she would keep the three-town river compact if re-elected, in a quiet "
    "effort to calm nerves before the November vote.",
    "lead_image": "compact-signing",
    "authors": ["mara-okafor", "daniel-whitlow"],
    "dateline": "NORTHGATE",
    "topics": ["Mayoral election", "Tessel River", "Regional cooperation"],
    "source_attribution": "Based on reporting by Courier Wire",
    "source_url": "",
    "hours_ago": 5,
    "body": [
        (
            "p",
            "Allies of Mayor Ilse Calder have assured officials in the neighbouring towns of "
            "Harwick and Lowmere that she will keep the Tessel River compact in place if she "
            "wins a second term, according to four people familiar with the conversations. "
            "The message has been carried by advisers who speak regularly with the mayor and "
            "who have met council leaders in both towns over the past three weeks.",
        ),
        (
            "p",
            "The outreach is part of a wider attempt by the Calder campaign to persuade "
            "partners along the river that her combative style at home does not extend to "
            "the shared flood defences, water rights and freight arrangements the compact "
            "governs. Tensions over dredging costs and a disputed lock upgrade have made the "
            "towns wary of any change at Northgate City Hall.",
        ),
        (
            "quote",
            "I told them plainly that the compact is staying, and that the mayor knows the "
            "river does not stop at our boundary.",
            "Colm Baptiste",
            "former chief of staff to Mayor Calder",
        ),
        (
            "p",
            "The assurances follow a difficult televised debate for Calder's main rival, "
            "councillor Ruth Anand, whose answers on the port budget drew criticism from "
            "business groups and have led some supporters to question her campaign.",
        ),
        (
            "quote",
            "Nobody is authorised to make promises to another council on the mayor's behalf. "
            "Policy is set by the mayor, and it is published on our website.",
            "Odile Marchetti",
            "campaign spokesperson for Ilse Calder",
        ),
        (
            "p",
            "Baptiste said he was not speaking for the campaign but drawing on eight years of "
            "working alongside Calder. He predicted that the three towns would widen the "
            "compact rather than shrink it.",
        ),
        ("h2", "Planning for a second term"),
        (
            "p",
            "The conversations show an unusually early effort by Calder's circle to set out "
            "priorities for a second term, more than two months before polling day. In her "
            "first campaign the towns learned of her plans for the river only after she took "
            "office, and officials in Lowmere say they spent most of a year catching up.",
        ),
        (
            "p",
            "A policy paper circulated by the Northgate Civic Forum, a group of former "
            "officials sympathetic to Calder, calls Harwick and Lowmere \u201cessential "
            "partners\u201d on flood defence, but also says the smaller towns should carry a "
            "larger share of the dredging bill. The forum says it does not speak for the "
            "campaign.",
        ),
        ("h2", "Backing the current arrangements"),
        (
            "p",
            "Despite their differences, the outreach points to a narrow patch of agreement "
            "between Calder and Anand, who has also pledged to keep the compact. Both "
            "candidates have praised the joint flood barrier opened last spring.",
        ),
        (
            "quote",
            "The closer our three economies are tied together, the safer every one of us is "
            "when the water rises.",
            "Teodor Lindqvist",
            "council leader of Harwick",
        ),
        (
            "p",
            "In Lowmere, where the council is weighing what a change of mayor would mean, the "
            "messages have been received with cautious relief. A council statement said the "
            "compact had always had support from all parties in Northgate.",
        ),
        ("h2", "Continuity on the river"),
        (
            "quote",
            "There is no reason the compact should stall. If anything, the mayor would want "
            "to build on it.",
            "Hana Voss",
            "former deputy mayor for infrastructure",
        ),
        (
            "p",
            "With the vote six weeks away, the reassurances are a deliberate attempt by "
            "Calder's allies to keep relationships along the river steady, whatever the "
            "result in November.",
        ),
    ],
}

# Further stories: (section, slug, kicker, title, dek, image key or None, author slugs,
# topics, hours ago, body paragraphs)
STORIES = [
    (
        "election-news",
        "early-voting-opens-record-turnout",
        "breaking",
        "Early voting opens with queues at every Northgate polling station",
        "Election officials extended hours at three sites after more than 9,000 residents "
        "voted on the first morning.",
        "ballot-boxes",
        ["mara-okafor"],
        ["Mayoral election", "Voting"],
        2,
        [
            "Queues stretched around the block at the Corn Exchange and two library branches "
            "on Monday as early voting opened for the mayoral election.",
            "County clerk Abel Ferreira said 9,240 ballots had been cast by noon, more than "
            "double the figure at the same point four years ago.",
        ],
    ),
    (
        "election-news",
        "anand-port-budget-debate",
        "analysis",
        "What Anand's debate stumble on the port budget means for the race",
        "The councillor's struggle to explain her port plan handed Calder an opening. "
        "Whether it moves votes is another matter.",
        "debate-stage",
        ["mara-okafor"],
        ["Mayoral election", "Port of Northgate"],
        20,
        [
            "Ruth Anand went into Thursday's debate with a narrow lead among voters who had "
            "made up their minds. She left it facing questions about the one policy her "
            "campaign had built itself around.",
            "Pressed on how she would pay for the East Quay expansion, Anand gave three "
            "different figures in under five minutes.",
        ],
    ),
    (
        "politics",
        "assembly-passes-housing-bill",
        "",
        "Regional assembly passes housing bill after all-night sitting",
        "The bill lets councils charge higher rates on homes left empty for more than a year.",
        None,
        ["daniel-whitlow"],
        ["Housing", "Regional assembly"],
        30,
        [
            "The regional assembly passed the Empty Homes Bill by 41 votes to 33 shortly "
            "after six on Wednesday morning, ending a sitting that began the previous "
            "afternoon.",
        ],
    ),
    (
        "business",
        "east-quay-volumes-third-year",
        "",
        "East Quay container volumes rise for a third straight year",
        "The port handled 1.2 million containers last year, lifted by new routes to the "
        "southern coast.",
        "harbour-cranes",
        ["priya-raman"],
        ["Port of Northgate", "Jobs"],
        9,
        [
            "Container traffic through the East Quay terminal rose 7 per cent last year, "
            "the port authority said on Tuesday.",
        ],
    ),
    (
        "local",
        "westbrook-primary-consultation",
        "",
        "Parents pack hall as council weighs merger of Westbrook Primary",
        "More than 300 people attended the first consultation meeting on a plan to merge two "
        "primary schools.",
        "school-hall",
        ["jonas-feld"],
        ["Schools"],
        14,
        [
            "Parents, teachers and former pupils filled the hall at Westbrook Primary on "
            "Tuesday evening for the first public meeting on the council's merger plan.",
        ],
    ),
    (
        "science",
        "tessel-delta-shoreline-study",
        "explainer",
        "Why the Tessel delta is losing ground, and what can slow it",
        "Twenty-five years of survey data show the delta's seaward edge retreating by about "
        "four metres a year.",
        "river-delta",
        ["lena-sato"],
        ["Tessel River", "Climate"],
        40,
        [
            "Since 1998, researchers at Northgate University have walked the same survey "
            "lines across the Tessel delta every spring.",
        ],
    ),
]
