"""Original demo content for a fictional outlet, The Northgate Courier.

Every person, place and event here is invented. FEATURED is built to the shape of the
reference article page: kicker, separate SEO headline, captioned and credited file photo,
three subheadings, several attributed quotes and a wire attribution.
"""

PUBLICATION_NAME = "The Northgate Courier"

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
    (
        "assembly-chamber",
        "The regional assembly chamber",
        "Members of the regional assembly during the overnight sitting on the Empty Homes Bill.",
        "Courier/Ana Ruiz",
        "A semicircular debating chamber with wooden benches, half of them occupied, under "
        "bright ceiling lights.",
        False,
        (110, 70, 50),
    ),
    (
        "tram-depot",
        "Trams at the Fenwick depot",
        "New low-floor trams stand at the Fenwick depot before entering service.",
        "COURIER WIRE/Tomas Reyes",
        "Three green and white trams parked side by side inside a long depot shed.",
        True,
        (50, 130, 90),
    ),
    (
        "market-hall",
        "Stalls in the Old Market Hall",
        "Traders set up before opening at the Old Market Hall, which reopens after repairs.",
        "Courier/Priya Raman",
        "Market stalls with striped awnings under a high iron and glass roof.",
        False,
        (150, 120, 60),
    ),
    (
        "flood-gauge",
        "River gauge at Lowmere weir",
        "The river gauge at Lowmere weir, one of 14 stations feeding the new flood warning model.",
        "Courier/Lena Sato",
        "A white measuring post marked in metres standing in fast brown water beside a weir.",
        False,
        (70, 90, 140),
    ),
    (
        "count-centre",
        "Counting staff at the Corn Exchange",
        "Counting staff sort postal ballots at the Corn Exchange during a rehearsal for "
        "election night.",
        "Courier/Ana Ruiz",
        "Rows of tables where staff in lanyards sort paper ballots into trays.",
        False,
        (100, 60, 110),
    ),
    (
        "market-clock",
        "The restored market clock",
        "The hall's clock, stopped since 1987, was restored by volunteers from the Northgate "
        "Horological Society.",
        "Courier/Priya Raman",
        "A large round clock face with Roman numerals set into a brick gable.",
        False,
        (120, 40, 40),
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


# Further stories, oldest last. Body items use the same shapes as FEATURED, plus
# ("image", image key, caption or ""), ("facts", title, [lines]) and
# ("related", slug of an earlier story, label). "corrections": [(hours ago, text)].
STORIES = [
    {
        "section": "election-news",
        "slug": "early-voting-opens-queues",
        "kicker": "breaking",
        "title": "Early voting opens with queues at every Northgate polling station",
        "dek": "Election officials extended opening hours at three sites after more than 9,000 "
        "residents voted on the first morning.",
        "image": "ballot-boxes",
        "authors": ["mara-okafor"],
        "topics": ["Mayoral election", "Voting"],
        "hours_ago": 2,
        "body": [
            (
                "p",
                "Queues stretched around the block at the Corn Exchange and at two library "
                "branches on Monday as early voting opened for the mayoral election.",
            ),
            (
                "p",
                "County clerk Abel Ferreira said 9,240 ballots had been cast by noon, more than "
                "double the figure at the same point four years ago. Sites in Fenwick, "
                "Westbrook and the Old Town will now stay open until 9pm all week.",
            ),
            (
                "quote",
                "We planned for a busy week. We did not plan for a busy first hour.",
                "Abel Ferreira",
                "county clerk",
            ),
            (
                "p",
                "Voters need to bring a bank card, a utility bill or any photo identification. "
                "Anyone turned away can cast a provisional ballot.",
            ),
        ],
    },
    {
        "section": "election-news",
        "slug": "anand-port-budget-debate",
        "kicker": "analysis",
        "title": "What Anand's stumble on the port budget means for the race",
        "dek": "The councillor's struggle to explain her port plan handed Calder an opening. "
        "Whether it moves votes is another matter.",
        "image": "debate-stage",
        "authors": ["mara-okafor"],
        "topics": ["Mayoral election", "Port of Northgate"],
        "hours_ago": 20,
        "body": [
            (
                "p",
                "Ruth Anand went into Thursday's debate with a narrow lead among voters who had "
                "made up their minds. She left it facing questions about the one policy her "
                "campaign had been built around.",
            ),
            (
                "p",
                "Pressed on how she would pay for the East Quay expansion, Anand gave three "
                "different figures in under five minutes. Calder, who had said little all "
                "evening, needed only one sentence to make the point.",
            ),
            ("h2", "Do debates move votes?"),
            (
                "p",
                "Research on local races suggests that debates rarely shift more than a point or "
                "two. But this race is close, and the port employs one in nine working adults "
                "in the city.",
            ),
            (
                "quote",
                "People forgive a nervous answer. They are slower to forgive one that sounds "
                "like you have not done the sums.",
                "Dr. Sunniva Holt",
                "lecturer in politics at Northgate University",
            ),
        ],
    },
    {
        "section": "election-news",
        "slug": "count-rehearsal-corn-exchange",
        "kicker": "explainer",
        "title": "How election night will work at the Corn Exchange",
        "dek": "From the close of polls to the declaration: the count, the timings and when to "
        "expect a result.",
        "image": "count-centre",
        "authors": ["mara-okafor", "jonas-feld"],
        "topics": ["Mayoral election", "Voting"],
        "hours_ago": 28,
        "body": [
            (
                "p",
                "Polls close at 10pm. Sealed boxes from the city's 86 polling stations travel "
                "under escort to the Corn Exchange, where about 240 counting staff will be "
                "waiting.",
            ),
            (
                "facts",
                "Election night at a glance",
                [
                    "10pm: polls close; boxes are sealed and logged",
                    "11pm: verification of ballot papers begins",
                    "1am: the count itself starts",
                    "3am to 5am: expected declaration, if no recount is called",
                ],
            ),
            (
                "p",
                "Postal votes are opened in the days before polling day but not counted until "
                "the polls close. Candidates and their agents may watch every stage.",
            ),
            ("related", "early-voting-opens-queues", "Earlier"),
        ],
    },
    {
        "section": "election-news",
        "slug": "youth-turnout-campaign-fenwick",
        "kicker": "",
        "title": "Students in Fenwick knock on doors to lift youth turnout",
        "dek": "A volunteer group says it has spoken to 4,000 first-time voters since September.",
        "image": None,
        "authors": ["jonas-feld"],
        "topics": ["Voting", "Schools"],
        "hours_ago": 52,
        "body": [
            (
                "p",
                "Every Saturday since the start of term, a group of sixth-formers from Fenwick "
                "Academy has met outside the library with clipboards and a map.",
            ),
            (
                "quote",
                "Most people we meet are not against voting. They just do not know where to go "
                "or what to bring.",
                "Efe Lindgren",
                "organiser, Fenwick First Vote",
            ),
            (
                "p",
                "The group is non-partisan and declined offers of help from both main "
                "campaigns, Lindgren said.",
            ),
        ],
    },
    {
        "section": "election-news",
        "slug": "candidates-spending-returns",
        "kicker": "",
        "title": "Spending returns show Calder outspending Anand two to one",
        "dek": "Filings published on Friday show the mayor's campaign has spent 412,000 "
        "crowns against her rival's 198,000.",
        "image": None,
        "authors": ["daniel-whitlow"],
        "topics": ["Mayoral election"],
        "hours_ago": 75,
        "body": [
            (
                "p",
                "Most of the gap comes from advertising on buses and trams, according to the "
                "returns published by the county election office.",
            ),
            (
                "p",
                "Both campaigns remain well below the legal limit of 600,000 crowns.",
            ),
        ],
    },
    {
        "section": "politics",
        "slug": "assembly-passes-empty-homes-bill",
        "kicker": "",
        "title": "Regional assembly passes empty homes bill after all-night sitting",
        "dek": "The bill lets councils charge higher rates on homes left empty for more than a "
        "year.",
        "image": "assembly-chamber",
        "authors": ["daniel-whitlow"],
        "topics": ["Housing", "Regional assembly"],
        "hours_ago": 30,
        "body": [
            (
                "p",
                "The regional assembly passed the Empty Homes Bill by 41 votes to 33 shortly "
                "after six on Wednesday morning, ending a sitting that began the previous "
                "afternoon.",
            ),
            (
                "p",
                "Councils may now double the rates on a home left empty for a year and triple "
                "them after three years. Homes being renovated or awaiting probate are exempt.",
            ),
            (
                "quote",
                "A house with nobody in it is a house somebody on our waiting list could be "
                "living in.",
                "Marit Ocampo",
                "housing minister",
            ),
            (
                "quote",
                "This punishes families who inherit a property and need time to decide what to "
                "do with it.",
                "Gregor Halloway",
                "opposition housing spokesman",
            ),
        ],
    },
    {
        "section": "politics",
        "slug": "tram-line-extension-approved",
        "kicker": "",
        "title": "Ministers approve tram extension to Fenwick and the airport",
        "dek": "The 9km line is due to open in 2029 and will cost an estimated 780 million crowns.",
        "image": "tram-depot",
        "authors": ["daniel-whitlow", "priya-raman"],
        "topics": ["Transport", "Regional assembly"],
        "hours_ago": 60,
        "body": [
            (
                "p",
                "The regional government gave final approval on Thursday to extend the Blue "
                "Line from Fenwick to Northgate airport, ending a decade of studies and "
                "consultations.",
            ),
            (
                "p",
                "Construction is due to start next spring. Six new stops are planned, including "
                "one at the university's science park.",
            ),
        ],
    },
    {
        "section": "politics",
        "slug": "opinion-assembly-needs-a-second-chamber",
        "kicker": "opinion",
        "title": "The regional assembly needs someone to check its homework",
        "dek": "Overnight sittings and rushed amendments are a sign that the assembly has "
        "outgrown its rules.",
        "image": None,
        "authors": ["daniel-whitlow"],
        "topics": ["Regional assembly"],
        "hours_ago": 96,
        "body": [
            (
                "p",
                "When the Empty Homes Bill passed at six in the morning, three of its "
                "amendments had been printed less than an hour earlier. Nobody outside the "
                "chamber had read them.",
            ),
            (
                "p",
                "A revising committee, made up of members who do not sit on the government "
                "benches, would slow things down by a week. That is the point.",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "east-quay-volumes-third-year",
        "kicker": "",
        "title": "East Quay container volumes rise for a third straight year",
        "dek": "The port handled 1.2 million containers last year, lifted by new routes to the "
        "southern coast.",
        "image": "harbour-cranes",
        "authors": ["priya-raman"],
        "topics": ["Port of Northgate", "Jobs"],
        "hours_ago": 9,
        "body": [
            (
                "p",
                "Container traffic through the East Quay terminal rose 7 per cent last year, "
                "the port authority said on Tuesday.",
            ),
            (
                "p",
                "Two shipping lines began weekly calls from the southern coast in March, and "
                "the authority expects a further rise once the deeper berth opens next year.",
            ),
            (
                "quote",
                "We are running out of quay before we run out of customers.",
                "Ines Vukovic",
                "chief executive of the Northgate Port Authority",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "old-market-hall-reopens",
        "kicker": "",
        "title": "Old Market Hall reopens with 60 traders after two-year repair",
        "dek": "The Victorian hall's roof was found to be unsafe in 2023. Rents are capped for "
        "the first year.",
        "image": "market-hall",
        "authors": ["priya-raman"],
        "topics": ["Jobs", "Old Town"],
        "hours_ago": 36,
        "body": [
            (
                "p",
                "The Old Market Hall reopened on Saturday with 60 stalls, ten more than before "
                "it closed, after a repair of its iron and glass roof.",
            ),
            ("image", "market-clock", ""),
            (
                "facts",
                "The repair in numbers",
                [
                    "4,200 panes of glass replaced",
                    "26 months from closure to reopening",
                    "11.4 million crowns, two thirds from the city",
                ],
            ),
            (
                "p",
                "The first traders through the doors included a fishmonger who has sold at the "
                "hall for 41 years.",
            ),
            (
                "quote",
                "I sold from a van in the car park for two years. This is like coming home.",
                "Birgit Salo",
                "fishmonger",
            ),
            ("related", "east-quay-volumes-third-year", "Also in Business"),
        ],
    },
    {
        "section": "business",
        "slug": "bakery-chain-expands-harwick",
        "kicker": "sponsored",
        "title": "Family bakery Corrie & Daughters opens its fifth shop, in Harwick",
        "dek": "A paid feature from Corrie & Daughters on forty years of baking in the "
        "Tessel valley.",
        "image": None,
        "authors": ["priya-raman"],
        "topics": ["Jobs"],
        "hours_ago": 110,
        "body": [
            (
                "p",
                "This article was paid for by Corrie & Daughters. The Courier's newsroom was "
                "not involved in writing it.",
            ),
            (
                "p",
                "The new shop on Harwick's high street employs eleven people and bakes on site "
                "from 4am.",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "port-pay-talks-resume",
        "kicker": "live",
        "title": "Port pay talks resume as dockers weigh strike ballot",
        "dek": "Negotiators for the port authority and the dockers' union are meeting again "
        "after talks broke down last week.",
        "image": None,
        "authors": ["priya-raman", "mara-okafor"],
        "topics": ["Port of Northgate", "Jobs"],
        "hours_ago": 4,
        "body": [
            (
                "p",
                "Talks restarted at 9am at the conciliation service's offices on Quay Street. "
                "We will update this page as they go on.",
            ),
            (
                "p",
                "The union is asking for 6 per cent this year. The authority's last offer was "
                "3.5 per cent, with a one-off payment.",
            ),
        ],
    },
    {
        "section": "local",
        "slug": "westbrook-primary-consultation",
        "kicker": "",
        "title": "Parents pack hall as council weighs merger of Westbrook Primary",
        "dek": "More than 300 people attended the first consultation meeting on a plan to merge "
        "two primary schools.",
        "image": "school-hall",
        "authors": ["jonas-feld"],
        "topics": ["Schools"],
        "hours_ago": 14,
        "body": [
            (
                "p",
                "Parents, teachers and former pupils filled the hall at Westbrook Primary on "
                "Tuesday evening for the first public meeting on the council's merger plan.",
            ),
            (
                "p",
                "Under the proposal, Westbrook would join Alder Lane Primary on the Alder Lane "
                "site from September 2027. The council says falling rolls leave both schools "
                "with empty classrooms.",
            ),
            (
                "quote",
                "My children can walk to Westbrook. Alder Lane means two buses.",
                "Noor Achterberg",
                "parent",
            ),
        ],
        "corrections": [
            (
                12,
                "An earlier version of this story said the merged school would open in "
                "September 2026. The proposed date is September 2027.",
            ),
        ],
    },
    {
        "section": "local",
        "slug": "court-fines-landlord-damp",
        "kicker": "",
        "title": "Court fines landlord 40,000 crowns over damp flats in Old Town",
        "dek": "Magistrates heard that tenants complained about mould for three years before the "
        "council acted.",
        "image": None,
        "authors": ["jonas-feld"],
        "topics": ["Housing", "Old Town"],
        "hours_ago": 44,
        "body": [
            (
                "p",
                "A landlord who let eight flats on Cooper's Row was fined 40,000 crowns on "
                "Wednesday after admitting failing to fix damp and broken heating.",
            ),
            (
                "p",
                "The court heard that one family had kept their baby's cot in the kitchen "
                "because it was the only dry room.",
            ),
        ],
    },
    {
        "section": "local",
        "slug": "library-late-opening-trial",
        "kicker": "",
        "title": "Central library to open until 10pm in six-month trial",
        "dek": "Students and shift workers asked for later hours in a survey of 2,300 users.",
        "image": None,
        "authors": ["jonas-feld"],
        "topics": ["Old Town"],
        "hours_ago": 130,
        "body": [
            (
                "p",
                "Northgate's central library will stay open until 10pm on weekdays from next "
                "month. The trial will cost about 90,000 crowns, paid from the city's culture "
                "budget.",
            ),
        ],
    },
    {
        "section": "science",
        "slug": "tessel-delta-shoreline-study",
        "kicker": "explainer",
        "title": "Why the Tessel delta is losing ground, and what can slow it",
        "dek": "Twenty-five years of survey data show the delta's seaward edge retreating by "
        "about four metres a year.",
        "image": "river-delta",
        "authors": ["lena-sato"],
        "topics": ["Tessel River", "Climate"],
        "hours_ago": 40,
        "body": [
            (
                "p",
                "Since 1998, researchers at Northgate University have walked the same survey "
                "lines across the Tessel delta every spring.",
            ),
            ("h2", "Less silt, higher water"),
            (
                "p",
                "Two things are happening at once. Dams upstream hold back the silt that once "
                "built the delta, and the sea is rising about four millimetres a year.",
            ),
            ("h2", "What helps"),
            (
                "p",
                "Trials that let the river spill into old marshland during floods have rebuilt "
                "up to 30 centimetres of ground in a decade.",
            ),
            (
                "quote",
                "We cannot stop the sea. We can let the river do what it did for ten thousand "
                "years before we got in its way.",
                "Prof. Amara Nkemelu",
                "coastal geomorphologist, Northgate University",
            ),
        ],
    },
    {
        "section": "science",
        "slug": "flood-warning-model-lowmere",
        "kicker": "",
        "title": "New flood model gives Lowmere six more hours of warning",
        "dek": "River gauges and rainfall radar feed a forecast that updates every fifteen "
        "minutes.",
        "image": "flood-gauge",
        "authors": ["lena-sato"],
        "topics": ["Tessel River", "Climate", "Regional cooperation"],
        "hours_ago": 70,
        "body": [
            (
                "p",
                "Residents of Lowmere will get flood warnings up to six hours earlier this "
                "winter, thanks to a forecasting model built jointly by the three river towns.",
            ),
            (
                "p",
                "The model was tested against the floods of 2019 and 2021 and would have issued "
                "its first warning in both cases before water reached the weir.",
            ),
            ("related", "tessel-delta-shoreline-study", "Background"),
        ],
    },
    {
        "section": "science",
        "slug": "measles-vaccination-rates-schools",
        "kicker": "",
        "title": "Measles vaccination rates fall below target in a third of city schools",
        "dek": "Public health officials will run catch-up clinics at 14 schools this term.",
        "image": None,
        "authors": ["lena-sato"],
        "topics": ["Schools", "Public health"],
        "hours_ago": 150,
        "body": [
            (
                "p",
                "Figures from the regional public health office show that 31 of Northgate's 92 "
                "schools have fewer than 95 per cent of pupils fully vaccinated against measles.",
            ),
            (
                "quote",
                "Ninety-five per cent is not an arbitrary number. Below it, outbreaks can take "
                "hold.",
                "Dr. Yusuf Brandt",
                "regional director of public health",
            ),
        ],
    },
    {
        "section": "local",
        "slug": "harwick-road-bridge-closure",
        "kicker": "",
        "title": "Harwick Road bridge to close for eight weeks of repairs",
        "dek": "Buses will divert via Mill Lane; cyclists and pedestrians can still cross.",
        "image": None,
        "authors": ["jonas-feld"],
        "topics": ["Transport"],
        "hours_ago": 170,
        "body": [
            (
                "p",
                "The Harwick Road bridge over the Tessel will close to traffic from Monday while "
                "engineers replace its expansion joints, the city's highways department said.",
            ),
            (
                "p",
                "The 14 and 14A buses will run via Mill Lane, adding about ten minutes to "
                "journeys at peak times.",
            ),
        ],
    },
]

# A story under embargo: scheduled to go live a few hours after the demo is loaded, so the
# admin dashboard lists it under "Scheduled to go live" and the worker publishes it then.
SCHEDULED = [
    {
        "section": "science",
        "slug": "tessel-bathing-sites-pass-water-tests",
        "kicker": "",
        "title": "All six Tessel bathing sites pass summer water tests",
        "dek": "The regional water agency's survey, released under embargo, found every river "
        "swimming spot within the bathing standard for the first time since testing began.",
        "image": None,
        "authors": ["lena-sato"],
        "topics": ["Tessel River"],
        "goes_live_in_hours": 3,
        "body": [
            (
                "p",
                "Every one of the six river swimming spots on the Tessel met the bathing-water "
                "standard this summer, the regional water agency said in its annual survey.",
            ),
            (
                "p",
                "Samplers took water from each site twice a week from June to September. Two "
                "sites below the Mill Lane weir failed the standard in each of the last three "
                "years after heavy rain washed overflow from the old sewers into the river.",
            ),
            (
                "quote",
                "A dry summer helped, but so did the storage tanks under Mill Lane. We will "
                "know which mattered more after a wet one.",
                "Ruth Adeyemi",
                "the agency's river scientist",
            ),
        ],
    },
]

# Readers' discussion under the featured story: approved comments, replies, an editors'
# pick, and one comment left waiting so the moderation queue has something in it.
COMMENTS = [
    {
        "key": "ferry",
        "name": "Harwick ferry user",
        "email": "ferry.user@example.org",
        "body": "The compact is the only reason the Harwick landing still gets dredged every "
        "spring. Good to hear it said out loud, but I would rather read it in her manifesto "
        "than hear it from unnamed advisers.",
        "pick": True,
    },
    {
        "key": "ferry-reply",
        "reply_to": "ferry",
        "name": "Jonah P.",
        "email": "jonah.p@example.org",
        "body": "Agreed. A promise passed along by advisers costs nothing until it is written "
        "into the council's budget papers.",
    },
    {
        "key": "lowmere",
        "name": "Lowmere councillor's neighbour",
        "email": "lowmere.neighbour@example.org",
        "body": "Anyone who sat through the 2019 flood meetings knows the three towns cannot "
        "manage the weir on their own. Whoever wins should keep the joint fund as it is.",
    },
    {
        "key": "lowmere-reply",
        "reply_to": "lowmere",
        "name": "R. Adeyemi",
        "email": "r.adeyemi@example.org",
        "body": "The fund is not the problem; the annual review is. Nobody outside the "
        "committee has seen one since it was set up.",
    },
    {
        "key": "question",
        "name": "Curious reader",
        "email": "curious.reader@example.org",
        "body": "Has the other candidate said anything about the compact? The story only "
        "covers one side.",
        "pending": True,
    },
]
