"""The demo newsroom: sections, authors, photos and stories. All of it is invented.

Places, people, companies and organisations here are fictional; any likeness is chance.
Text is wrapped for the source file and unwrapped by `seed_demo` before it is saved.
"""

SECTIONS = [
    ("World", "world", "Stories from every continent, filed by our correspondents and the wires."),
    ("Middle East", "middle-east", "Politics, water, energy and daily life from the Levant to the Gulf."),
    ("Europe", "europe", "Cities, courts, parliaments and railways across the continent."),
    ("Business", "business", "Companies, markets, jobs and the prices people pay."),
    ("Science", "science", "Discoveries, space, climate and the oceans, explained without jargon."),
    ("Sport", "sport", "Results, records and the people behind them."),
    ("Culture", "culture", "Books, film, music and the places where they happen."),
]

AUTHORS = [
    {
        "slug": "leila-mansour",
        "name": "Leila Mansour",
        "colour": "#7a4b3a",
        "bio": """Middle East correspondent. Covers water, energy and regional diplomacy from Amman,
            and has reported from eleven countries in the region.""",
    },
    {
        "slug": "tomas-varga",
        "name": "Tomas Varga",
        "colour": "#3d5a80",
        "bio": """Europe editor. Writes about cities, transport and the politics of everyday things.
            Before journalism he drew maps for a railway company.""",
    },
    {
        "slug": "anika-rao",
        "name": "Anika Rao",
        "colour": "#2f6f62",
        "bio": """Science and climate reporter. Trained as a marine biologist; now explains
            telescopes, oceans and weather to readers who did not ask for a lecture.""",
    },
    {
        "slug": "daniel-okafor",
        "name": "Daniel Okafor",
        "colour": "#5b4a8a",
        "bio": """Business reporter covering industry, trade and jobs. Likes a company more
            when it publishes its numbers.""",
    },
    {
        "slug": "marta-lindqvist",
        "name": "Marta Lindqvist",
        "colour": "#8a5a2f",
        "bio": """Sport and culture writer. Has covered four cup finals, two film festivals and
            one chess match that lasted nine hours.""",
    },
]

# Scenes for the photo painter: sky top/middle/horizon, sun (x, y, radius), hills, water...
PHOTOS = {
    "reservoir": {
        "scene": {
            "sky": ["#7fb2d9", "#c9def0", "#f1e6cf"],
            "sun": (0.78, 0.2, 46),
            "far": "#b08a5e",
            "water": ["#5d8aa8", "#2f5673"],
            "horizon": 0.6,
            "banks": ["#8a6240", "#e4d6bd"],
        },
        "caption": """A reservoir in the hills north of the capital is seen at one of its lowest levels
            in a decade, in this photo taken in late summer. Pale bands on the banks show where the water
            stood in wetter years. Officials say reservoirs across the region held less than a third of
            their capacity at the end of the dry season.""",
        "credit": "© Levant Wire Photo / Ministry of Water via Levant Wire, File",
        "alt": "A half-empty reservoir between steep brown banks, with pale bands above the waterline.",
    },
    "volcano": {
        "scene": {
            "sky": ["#120c14", "#3a1a1f", "#a3402a"],
            "stars": True,
            "sun": (0.55, 0.55, 30),
            "sun_colour": "#ff9a4a",
            "far": "#2a1512",
            "ranges": 2,
            "water": ["#3a1d1f", "#0d0a10"],
            "horizon": 0.66,
        },
        "caption": "Lava lights the night sky above Mount Teyra, seen from a fishing village on the coast.",
        "credit": "© Pacifica Wire Photo",
        "alt": "An orange glow over a dark volcano at night, reflected in the sea.",
    },
    "factory": {
        "scene": {
            "sky": ["#1c2a4a", "#c0607a", "#f4b36b"],
            "sun": (0.3, 0.6, 60),
            "sun_colour": "#ffd59a",
            "far": "#3b3550",
            "ranges": 1,
            "skyline": "#1a1626",
            "lit": "#ffd27a",
            "horizon": 0.72,
        },
        "caption": "The industrial district of Kestrel Bay at dusk. The battery plant runs three shifts.",
        "credit": "© Newsroom / Daniel Okafor",
        "alt": "Silhouettes of factory buildings with lit windows under a pink evening sky.",
    },
    "stadium": {
        "scene": {
            "sky": ["#243b6b", "#6f8fc4", "#f2d7a0"],
            "sun": (0.2, 0.42, 38),
            "sun_colour": "#ffe2a8",
            "far": "#2b4a3a",
            "ranges": 1,
            "near": ["#3f7a3a", "#2e5f2b"],
            "horizon": 0.66,
        },
        "caption": "Supporters gathered on the hill above the harbour ground to watch the semi-final.",
        "credit": "© Newsroom / Marta Lindqvist",
        "alt": "Green hills under an evening sky above a small football ground.",
    },
    "valley": {
        "scene": {
            "sky": ["#0f1f3d", "#34507f", "#8fa7c9"],
            "stars": True,
            "sun": (0.82, 0.2, 26),
            "sun_colour": "#f4f1e4",
            "far": "#41557a",
            "ranges": 3,
            "near": ["#1d2b45", "#111a2c"],
            "horizon": 0.6,
        },
        "caption": "The Alvern valley under a full moon. The line climbs 900 metres in 60 kilometres.",
        "credit": "© Newsroom / Tomas Varga",
        "alt": "Mountain ridges in blue moonlight under a starry sky.",
    },
    "comet": {
        "scene": {
            "sky": ["#04060d", "#0c1430", "#23335e"],
            "stars": True,
            "far": "#0f1526",
            "ranges": 2,
            "near": ["#06080f"],
            "horizon": 0.72,
        },
        "caption": "The sky above Halden Ridge, where the observatory's survey telescope found the comet.",
        "credit": "© Halden Ridge Observatory",
        "alt": "A dark, star-filled sky above black mountain ridges.",
    },
    "river_library": {
        "scene": {
            "sky": ["#8ec5e8", "#d7ecf5", "#fbf3dc"],
            "sun": (0.7, 0.3, 44),
            "far": "#6f9a6b",
            "ranges": 2,
            "water": ["#6aa3b8", "#2f6477"],
            "horizon": 0.58,
            "boat": (0.38, 0.64),
            "boat_colour": "#7a2e24",
        },
        "caption": "The library boat moored at a river village on its spring round.",
        "credit": "© Newsroom / Marta Lindqvist",
        "alt": "A small red boat on a calm river with green hills behind.",
    },
    "desal": {
        "scene": {
            "sky": ["#4d8fd1", "#a8d0ee", "#f6ead0"],
            "sun": (0.25, 0.22, 42),
            "far": "#c9a36f",
            "ranges": 1,
            "skyline": "#d8cbb4",
            "water": ["#2f8fb0", "#0f4e6b"],
            "horizon": 0.62,
        },
        "caption": "The seafront of Port Salim, where the new plant draws in seawater.",
        "credit": "© Levant Wire Photo",
        "alt": "Pale low buildings along a bright blue sea under a clear sky.",
    },
    "strait": {
        "scene": {
            "sky": ["#5f7894", "#b3c2d1", "#e5e9ee"],
            "sun": (0.85, 0.3, 30),
            "sun_colour": "#fbf7ea",
            "far": "#55606b",
            "ranges": 1,
            "water": ["#4d6a80", "#1f3445"],
            "horizon": 0.57,
            "boat": (0.55, 0.62),
        },
        "caption": "Tugs pulled the container ship free on the morning high tide.",
        "credit": "© Pacifica Wire Photo / Port Authority via Pacifica Wire",
        "alt": "A dark ship on a grey sea under an overcast sky.",
    },
    "bank": {
        "scene": {
            "sky": ["#9fb6cc", "#d6e0ea", "#eef2f5"],
            "far": "#8b99a8",
            "ranges": 1,
            "skyline": "#4a5563",
            "horizon": 0.74,
        },
        "caption": "Office towers in the financial district of Arvania's capital.",
        "credit": "© Pacifica Wire Photo, File",
        "alt": "Grey office towers against a pale overcast sky.",
    },
    "riverside": {
        "scene": {
            "sky": ["#f0a868", "#f7d5a4", "#fcefd9"],
            "sun": (0.66, 0.6, 52),
            "sun_colour": "#fff4d8",
            "far": "#9b7d72",
            "ranges": 1,
            "skyline": "#5a4a52",
            "water": ["#c98f6b", "#5c4252"],
            "horizon": 0.66,
        },
        "caption": "Brenholm's riverside at sunrise. The motorway runs along the far bank.",
        "credit": "© Newsroom / Tomas Varga",
        "alt": "A city skyline at sunrise reflected in a wide river.",
    },
    "seagrass": {
        "scene": {
            "sky": ["#5bb3d9", "#b8e3f2", "#e9f7fb"],
            "sun": (0.2, 0.18, 36),
            "ranges": 0,
            "water": ["#36b3b0", "#0e5c6b"],
            "horizon": 0.48,
        },
        "caption": "Shallow water over a seagrass meadow in the bay, where the survey divers worked.",
        "credit": "© Coastal Survey Trust",
        "alt": "Turquoise shallow sea under a bright blue sky.",
    },
    "marathon": {
        "scene": {
            "sky": ["#f6c1a8", "#fbe0c8", "#fff3e4"],
            "sun": (0.5, 0.66, 48),
            "sun_colour": "#fff8ea",
            "far": "#c9a8a8",
            "ranges": 1,
            "skyline": "#6d5a6a",
            "lit": "#f5d9a8",
            "horizon": 0.7,
        },
        "caption": "Runners set off at dawn, when the temperature was nine degrees.",
        "credit": "© Newsroom / Marta Lindqvist",
        "alt": "A city skyline at dawn under a pale pink sky.",
    },
    "festival": {
        "scene": {
            "sky": ["#1b1030", "#4b2a6b", "#b0607f"],
            "stars": True,
            "far": "#2d1f45",
            "ranges": 1,
            "skyline": "#140c22",
            "lit": "#ffcf6b",
            "water": ["#3b2450", "#120a1c"],
            "horizon": 0.64,
        },
        "caption": "The festival's waterfront cinema on the opening night.",
        "credit": "© Newsroom / Tomas Varga",
        "alt": "A city with lit windows under a purple night sky, reflected in dark water.",
    },
    "desert": {
        "scene": {
            "sky": ["#e9a25b", "#f6cf8e", "#fbe7c0"],
            "sun": (0.5, 0.55, 70),
            "sun_colour": "#fff2cf",
            "far": "#c78a4f",
            "ranges": 2,
            "near": ["#d9a066", "#b97a43"],
            "horizon": 0.62,
        },
        "caption": "Dunes outside Qasr Najm, a stop on the old caravan road.",
        "credit": "© Levant Wire Photo",
        "alt": "Orange sand dunes under a low sun.",
    },
    "islands": {
        "scene": {
            "sky": ["#2f7fc1", "#8cc8ec", "#e3f4f9"],
            "sun": (0.82, 0.16, 40),
            "far": "#3f8a5a",
            "ranges": 1,
            "water": ["#1f9ac0", "#0b4d73"],
            "horizon": 0.6,
        },
        "caption": """A low-lying island of the Maren archipelago. Its highest point is four metres
            above the sea.""",
        "credit": "© Pacifica Wire Photo, File",
        "alt": "A low green island on a bright blue sea.",
    },
    "budget": {
        "scene": {
            "sky": ["#222b3a", "#4e5d75", "#a0aec0"],
            "far": "#3a4456",
            "ranges": 1,
            "skyline": "#161b24",
            "lit": "#f0d48a",
            "horizon": 0.72,
        },
        "caption": "Lights stayed on at Brenholm city hall as the talks went on.",
        "credit": "© Newsroom / Tomas Varga",
        "alt": "Office buildings with lit windows at night.",
    },
    "bookfair": {
        "scene": {
            "sky": ["#c9d9e8", "#e6eef5", "#f7f3ea"],
            "sun": (0.3, 0.25, 38),
            "far": "#b4a27f",
            "ranges": 2,
            "near": ["#c08a4a", "#a5672e"],
            "horizon": 0.6,
        },
        "caption": "Autumn hills outside the city, where the book fair runs a reading tent.",
        "credit": "© Newsroom / Marta Lindqvist",
        "alt": "Golden autumn hills under a pale sky.",
    },
}

# hours_ago: how long ago the story was published (negative: scheduled for the future).
STORIES = [
    {
        "key": "model",
        "section": "middle-east",
        "dateline": "AMMAN",
        "headline": "Five neighbours agree to share river data every hour as drought deepens",
        "lead": """Water ministers from five neighbouring states agreed to build a shared network of
            gauging stations on the rivers and reservoirs of their common basin and to publish the
            readings every hour, the region's first joint response to three dry winters in a row.""",
        "body": """
            The agreement, reached after two days of talks in the Jordanian capital, creates 40
            monitoring stations on rivers, canals and reservoirs shared by the five states. Each will
            measure water levels, flow and salinity and send the figures to a public website run by
            the secretariat of the Upper Basin Water Forum, which hosted the meeting.

            Until now each country has kept its own records, and the figures were often months old by
            the time its neighbours saw them. Delegates said the delay had fed mistrust in dry years,
            when every cubic metre released upstream is watched closely downstream.

            > "We have argued for years about numbers that none of us could check," said Rania Haddad,
            an engineer who chairs the forum's technical committee. "From now on a farmer, a minister
            and a journalist will look at the same figure at the same time."

            ## What the stations will measure

            The first 12 stations are due to go online before the spring rains. The forum's plan lists
            three readings for each of them:

            - the water level, every 15 minutes;
            - the flow rate, where the riverbed allows it;
            - salinity and temperature, which matter most to farmers in the lower valley.

            Reservoirs across the region held less than a third of their capacity at the end of the
            dry season, according to the forum's own estimate, and several towns have rationed piped
            water to a few days a week.

            The plan does not settle how much water each state may take, the most sensitive question
            in the basin, and delegates were careful not to present it as a sharing deal. A working
            group will meet again in the spring to discuss releases during droughts.

            The network is expected to cost about 18 million dollars over three years, paid by the
            five governments and a regional development fund. The forum has published a
            [summary of the plan](https://example.org/basin-forum/plan) on its website.
        """,
        "tags": ["Water", "Drought", "Climate", "Diplomacy", "Agriculture", "Infrastructure"],
        "authors": ["leila-mansour"],
        "photo": "reservoir",
        "hours_ago": 3,
        "updated_after_minutes": 90,
    },
    {
        "key": "volcano",
        "section": "world",
        "dateline": "TEYRA ISLAND",
        "headline": "Volcano on Teyra island erupts, dusting fishing villages with ash",
        "lead": """Mount Teyra erupted overnight for the first time in 14 years, sending a column of ash
            over the island's northern coast. No injuries have been reported.""",
        "body": """
            The island's civil protection office said about 1,200 people had left three villages on
            the volcano's northern flank as a precaution and were staying with relatives or in school
            halls in the harbour town.

            Lava flowed down an uninhabited valley on the western side of the mountain. Scientists at
            the island's volcano observatory said the eruption was "vigorous but stable" and that they
            expected it to continue for several days.

            Flights to the island's small airport were suspended while ash fell, and the fishing fleet
            was told to stay in port.
        """,
        "tags": ["Volcanoes", "Islands"],
        "authors": [],
        "photo": "volcano",
        "hours_ago": 5,
    },
    {
        "key": "battery",
        "section": "business",
        "dateline": "KESTREL BAY",
        "headline": "Small battery maker lands order that could triple its workforce",
        "lead": """Kestrel Cells, a battery maker with 140 employees, has signed a five-year contract to
            supply storage units for a regional network of solar farms.""",
        "body": """
            The company, founded eight years ago by two former shipyard engineers, makes batteries the
            size of a shipping container that store solar power during the day and release it at night.

            Its chief executive, Ines Moreau, said the order would allow the company to hire about 300
            more people over two years, most of them at its plant on the edge of the bay.

            > "This is the order we built the factory for," she said.

            The value of the contract was not disclosed. Analysts estimated it at several hundred
            million, which would make it the largest single order placed with a battery maker in the
            region this year.
        """,
        "tags": ["Energy", "Jobs", "Manufacturing"],
        "authors": ["daniel-okafor"],
        "photo": "factory",
        "hours_ago": 7,
    },
    {
        "key": "cup",
        "section": "sport",
        "dateline": "SALTMERE",
        "headline": "Harbour town club reach their first cup final in 60 years",
        "lead": """Saltmere Athletic, who play in the third tier, beat the league leaders 2–1 after
            extra time to reach the national cup final.""",
        "body": """
            A header from the defender Jonas Pell in the 112th minute sent about 3,000 supporters on
            the hill above the ground into celebrations that lasted well into the night.

            Saltmere's ground holds only 4,500 people, and the club said it had received more than
            20,000 requests for tickets for the final within an hour of the whistle.

            Their manager, a former fisherman who coaches part-time, said he would give his players
            two days off. "Then we train," he said.
        """,
        "tags": ["Football", "Cup"],
        "authors": ["marta-lindqvist"],
        "photo": "stadium",
        "hours_ago": 9,
    },
    {
        "key": "night-train",
        "section": "europe",
        "dateline": "ALVERN",
        "headline": "Night trains return to the Alvern valley line after a decade",
        "lead": """Sleeper trains will run again through the Alvern valley from next month, ten years
            after the service was cut, the regional rail operator said.""",
        "body": """
            The service will leave the capital three evenings a week and reach the mountain towns at
            the head of the valley before breakfast, with sleeping cars refurbished from an older fleet.

            ## Why now

            Demand for rail travel to the mountains has grown each winter, the operator said, and the
            regional government has agreed to cover losses for the first three years.

            Tickets go on sale on the operator's website this week. A bed in a shared compartment will
            cost about the same as a hotel room in the valley.
        """,
        "tags": ["Transport", "Railways", "Tourism"],
        "authors": ["tomas-varga"],
        "photo": "valley",
        "hours_ago": 12,
    },
    {
        "key": "comet",
        "section": "science",
        "dateline": "HALDEN RIDGE",
        "headline": "Newly found comet could be visible to the naked eye in spring",
        "lead": """Astronomers at the Halden Ridge Observatory have found a comet that may become bright
            enough to see without a telescope when it passes closest to the Sun in April.""",
        "body": """
            The comet was spotted on images taken by the observatory's survey telescope, which scans
            the whole sky every three nights looking for moving objects.

            Its orbit suggests it comes from the far edge of the solar system and has never passed
            this close to the Sun before. Such comets are hard to predict, the team warned: some
            brighten dramatically, others break apart.

            > "Enjoy the forecast, but don't book the holiday yet," said Dr Amara Felt, who leads the
            survey.

            Amateur astronomers can follow its progress with binoculars from February.
        """,
        "tags": ["Space", "Astronomy"],
        "authors": ["anika-rao"],
        "photo": "comet",
        "hours_ago": 20,
    },
    {
        "key": "library-boat",
        "section": "culture",
        "dateline": "LOWER MAREN",
        "headline": "A floating library brings books to river villages",
        "lead": """A converted cargo boat now carries 6,000 books to eleven villages along the Maren
            river that have no library of their own.""",
        "body": """
            The boat stops at each village for a day every three weeks. Children borrow most of the
            books, its two librarians said, but the most requested title this season has been a
            repair manual for outboard motors.

            The project is run by a volunteer association and paid for by a local ferry company,
            which lends the boat, fuel and a captain.

            Readers can reserve books by phone, and the librarians bring them on the next round.
        """,
        "tags": ["Books", "Rivers"],
        "authors": ["marta-lindqvist"],
        "photo": "river_library",
        "hours_ago": 26,
    },
    {
        "key": "desal",
        "section": "middle-east",
        "dateline": "PORT SALIM",
        "headline": "Port city opens a desalination plant that runs on solar power",
        "lead": """A plant that turns seawater into drinking water using power from a nearby solar farm
            has opened in Port Salim, promising piped water every day for 200,000 residents.""",
        "body": """
            Until now, most homes in the city have received piped water two or three days a week and
            relied on delivery trucks for the rest.

            The plant produces 60,000 cubic metres of water a day. During the day it runs on solar
            power; at night it draws from the grid, which engineers said accounts for about a third of
            its electricity.

            Environmental groups welcomed the solar link but asked the operator to publish regular
            measurements of the salty brine it returns to the sea.
        """,
        "tags": ["Water", "Energy", "Infrastructure"],
        "authors": ["leila-mansour"],
        "photo": "desal",
        "hours_ago": 30,
    },
    {
        "key": "ship",
        "section": "world",
        "dateline": "VAREN STRAIT",
        "headline": "Container ship refloated after three days aground in busy strait",
        "lead": """Tugs freed a container ship that had run aground in the Varen strait, reopening one of
            the region's busiest shipping lanes.""",
        "body": """
            The ship, carrying about 4,000 containers, ran aground in fog and blocked the southern
            channel of the strait. More than 80 vessels were waiting to pass when it was freed on the
            morning high tide.

            The port authority said an inspection had found no damage to the hull and no leak of fuel.
            The cause of the grounding is under investigation.
        """,
        "tags": ["Shipping", "Trade"],
        "authors": [],
        "photo": "strait",
        "hours_ago": 40,
    },
    {
        "key": "rates",
        "section": "business",
        "dateline": "ARVANIA",
        "headline": "Central bank holds interest rates, says it will be patient on inflation",
        "lead": """Arvania's central bank kept its main interest rate unchanged for a fourth meeting in a
            row and said it expected inflation to return to its target by the end of next year.""",
        "body": """
            Consumer prices rose 3.4 percent in the year to last month, down from a peak of more than
            eight percent, as fuel and food costs eased.

            The bank's governor said the labour market remained strong and that cutting rates too soon
            risked undoing the progress made. Most economists expect the first cut in the summer.
        """,
        "tags": ["Economy", "Banking", "Inflation"],
        "authors": [],
        "photo": "bank",
        "hours_ago": 52,
    },
    {
        "key": "riverside",
        "section": "europe",
        "dateline": "BRENHOLM",
        "headline": "City votes to turn its riverside motorway into a park",
        "lead": """Brenholm's city council voted to close a four-lane road along the river and replace it
            with a park, cycle paths and a swimming area within five years.""",
        "body": """
            About 40,000 vehicles use the road each day. The council plans to divert through traffic to
            a ring road that is being widened, and to add two tram lines.

            Shop owners along the river are divided: some expect more customers on foot, others fear
            that delivery vans will no longer reach them.

            ## What happens next

            Work will start at the northern end, where the road is closest to the old town. The council
            will publish a [timetable of closures](https://example.org/brenholm/riverside) before the
            first section shuts.
        """,
        "tags": ["Cities", "Transport", "Rivers"],
        "authors": ["tomas-varga"],
        "photo": "riverside",
        "hours_ago": 3 * 24 + 2,
    },
    {
        "key": "seagrass",
        "section": "science",
        "dateline": "CORAL BAY",
        "headline": "Seagrass meadows are recovering faster than expected, survey finds",
        "lead": """Seagrass meadows in the bay have grown back by almost a fifth in five years, divers
            found, after boats were banned from anchoring over them.""",
        "body": """
            Seagrass shelters young fish, holds sand in place during storms and stores carbon in the
            seabed. The meadows had shrunk by half over thirty years, mostly because anchors and chains
            tore up the plants.

            Since the ban, boats have tied up at 60 floating moorings instead. Divers from the Coastal
            Survey Trust mapped the meadows by swimming along marked lines every summer.

            The researchers said the recovery showed how quickly the plants return "if you simply stop
            ripping them out" but warned that warmer summers could slow it.
        """,
        "tags": ["Oceans", "Climate", "Conservation"],
        "authors": ["anika-rao"],
        "photo": "seagrass",
        "hours_ago": 4 * 24 + 5,
    },
    {
        "key": "drip",
        "section": "business",
        "dateline": "AMMAN",
        "headline": "Farmers in the lower valley switch to drip irrigation as water costs rise",
        "lead": """More farmers in the lower valley are replacing open channels with drip lines, which
            use less than half as much water, as the price of irrigation water climbs.""",
        "body": """
            Drip systems carry water through plastic pipes straight to the roots of each plant. They
            cost about 2,500 dollars a hectare to install, a large sum for a family farm.

            A cooperative of 300 growers has negotiated a loan that lets members pay for the pipes over
            five years out of the water they save.

            - Tomato and cucumber growers were the first to switch.
            - Olive and date growers are expected to follow next season.

            The water ministry said it would publish figures on how much water the valley saves.
        """,
        "tags": ["Water", "Agriculture", "Drought"],
        "authors": ["daniel-okafor", "leila-mansour"],
        "photo": "reservoir",
        "hours_ago": 5 * 24 + 3,
    },
    {
        "key": "marathon",
        "section": "sport",
        "dateline": "VELSBURG",
        "headline": "Course record falls on a cool morning at the Velsburg marathon",
        "lead": """Hana Osei won the Velsburg marathon in a course record of 2:19:48, taking more than a
            minute off a mark that had stood for twelve years.""",
        "body": """
            Osei ran alone from the 30-kilometre mark, helped by a temperature of nine degrees at the
            start and almost no wind.

            The men's race was decided in a sprint on the final straight, with less than a second
            between the first two runners.

            Organisers said 18,000 people had finished, the most in the race's history.
        """,
        "tags": ["Athletics", "Running"],
        "authors": ["marta-lindqvist"],
        "photo": "marathon",
        "hours_ago": 6 * 24 + 4,
    },
    {
        "key": "festival",
        "section": "culture",
        "dateline": "BRENHOLM",
        "headline": "Film festival opens with a silent classic and a live orchestra",
        "lead": """The Brenholm film festival opened with a restored silent film from 1927, accompanied by
            a 40-piece orchestra playing a new score.""",
        "body": """
            The restoration took two years and combined three surviving prints, one of which had been
            found in a private collection only last year.

            The festival shows 120 films over ten days, including a programme of films made by
            students from the city's film school. Tickets for most screenings are still available.
        """,
        "tags": ["Film", "Music", "Festivals"],
        "authors": ["tomas-varga"],
        "photo": "festival",
        "hours_ago": 7 * 24 + 1,
    },
    {
        "key": "mosaic",
        "section": "middle-east",
        "dateline": "QASR NAJM",
        "headline": "Archaeologists find a mosaic floor beneath an old caravan market",
        "lead": """Builders repairing a market in the desert town of Qasr Najm have uncovered a mosaic
            floor that archaeologists believe is about 1,500 years old.""",
        "body": """
            The floor, about nine metres long, shows birds, vines and a ship, an unusual picture so far
            from the sea. Archaeologists think it belonged to the house of a merchant who traded along
            the caravan road.

            The repairs have been paused while the floor is recorded. The town council said it hoped to
            cover the mosaic with glass so that shoppers could see it.
        """,
        "tags": ["History", "Archaeology"],
        "authors": ["leila-mansour"],
        "photo": "desert",
        "hours_ago": 8 * 24 + 6,
    },
    {
        "key": "islands",
        "section": "world",
        "dateline": "MAREN ISLANDS",
        "headline": "Island states press for faster access to climate adaptation funds",
        "lead": """Leaders of twelve small island states said money promised to help them cope with rising
            seas was taking years to arrive and asked for a simpler way to apply for it.""",
        "body": """
            Applications can run to hundreds of pages, officials said, and small governments do not
            have the staff to write them.

            The leaders proposed a single application shared by all the funds, and asked that part of
            the money go directly to island councils.

            > "The sea does not wait for the paperwork," the host country's prime minister said.
        """,
        "tags": ["Climate", "Islands", "Diplomacy"],
        "authors": ["anika-rao"],
        "photo": "islands",
        "hours_ago": 9 * 24 + 8,
    },
    {
        "key": "budget-draft",
        "section": "europe",
        "dateline": "BRENHOLM",
        "headline": "Budget talks in Brenholm run into the night",
        "lead": """City councillors are still negotiating next year's budget, with the riverside park and
            the tram lines the main points of disagreement.""",
        "body": """
            This story is a draft. Editors can preview it; readers cannot see it until it is published.
        """,
        "tags": ["Cities"],
        "authors": ["tomas-varga"],
        "photo": "budget",
        "status": "draft",
    },
    {
        "key": "bookfair-scheduled",
        "section": "culture",
        "dateline": "VELSBURG",
        "headline": "Weekend guide: what to see at the autumn book fair",
        "lead": """Readings, a children's tent and a market of second-hand books: our pick of the book
            fair's weekend programme.""",
        "body": """
            This story is scheduled. It appears on the site on its own at its publication time.
        """,
        "tags": ["Books", "Festivals"],
        "authors": ["marta-lindqvist"],
        "photo": "bookfair",
        "hours_ago": -20,
    },
]
