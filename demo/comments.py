"""Demo comments for `manage.py seed_demo`: guests and accounts, short and long, one busy thread.

Idempotent: once demo comments exist, running it again adds none; a story that already has
comments of its own gets no demo ones.
"""

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Profile
from articles.models import Article
from comments import entries
from comments.models import BannedWord, Comment
from comments.moderation import moderator
from comments.services import refresh_comment_counts
from core.markup import render_plain_text

BUSY_THREAD_SIZE = 120
DEMO_AGENT = "Newsroom demo"

READERS = [
    # username, display name, avatar colour (None: initials)
    ("demo-marta", "Marta Lindqvist", (46, 110, 160)),
    ("demo-tomas", "Tomás Oyelaran", None),
    ("demo-hana", "Hana Sato", (150, 70, 60)),
    ("demo-piet", "Piet de Vries", None),
]

GUESTS = [
    "Alexei K.", "Brigitte", "Chidi Okafor", "Dana M.", "Elif Şahin", "Farid", "Greta Holm", "Hugo",
    "Ines Carvalho", "Jonas B.", "Kateryna", "Luis Ortega", "Mira", "Niall O'Brien", "Olu A.",
    "Priya Raman", "Quentin", "Rosa Méndez", "Sven", "Tariq H.",
]  # fmt: skip

SHORT = [
    "Clear and well sourced. Thank you for the reporting.",
    "Does anyone know when the full report will be published?",
    "The second paragraph says more than most of the coverage I read this week.",
    "I would like to see the numbers for the last five years, not just this one.",
    "Good to see this covered at all. Most outlets ignored it.",
    "Is there a map of the affected areas somewhere?",
    "The quote from the minister tells you everything.",
    "Interesting, but I am not convinced the timetable is realistic.",
    "Thanks for explaining the background instead of assuming we all know it.",
    "This will be decided by the budget, not by the announcement.",
    "My town went through the same thing in 2019. It took years.",
    "Correction request: the figure in the chart caption looks different from the one in the text.",
    "Finally some good news.",
    "Who pays for this in the end? The article does not say.",
    "Following this story closely. Please keep updating it.",
]

LONG = [
    "I worked in this field for eleven years, so a few words of context.\n\n"
    "The agreement itself is not new: most of the technical work was done long before anyone "
    "announced anything. What is new is that the data will be public, and that matters more than "
    "the headline suggests.\n\n"
    "If the numbers are published every hour as promised, journalists and researchers can check "
    "them. That is the real test.",
    "Two things are missing from the debate.\n\n"
    "First, nobody has asked the people who will actually have to carry this out. Second, the "
    "cost estimates were made before prices went up last year.\n\n"
    "I am not against the plan. I just want it to survive its first winter.",
    "A fair report, but I disagree with the framing of the last section.\n\n"
    "The opposition's objection is not only political: they point to a real gap in the law, and "
    "the ministry's own lawyers said the same in the spring.\n\n"
    "Worth a follow-up story, in my opinion. The documents are public: "
    "https://example.org/documents/2026-spring-opinion",
    "My grandparents lived through the last crisis of this kind.\n\n"
    "What I remember from their stories is not the big decisions but the small ones: who shared, "
    "who did not, who kept their word. I hope that is what we remember this time too.",
    "For anyone reading the comments first: the key figure is in the fourth paragraph.\n\n"
    "Everything else is reaction. Read the whole thing before arguing about it below.",
]


def _avatar_picture(colour, seed):
    """A small abstract picture drawn with Pillow, standing in for an uploaded photo."""
    rng = random.Random(seed)
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, r = rng.randint(0, 320), rng.randint(0, 320), rng.randint(30, 110)
        tint = tuple(min(255, c + rng.randint(30, 90)) for c in colour)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tint)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="avatar.jpg")


def demo_readers():
    User = get_user_model()
    readers = []
    for username, name, colour in READERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_unusable_password()  # demo people: nobody can sign in as them
            user.save(update_fields=["password"])
        profile, _ = Profile.objects.get_or_create(user=user)
        if not profile.display_name:
            profile.display_name = name
            if colour is not None:
                profile.avatar = _avatar_picture(colour, username)
            profile.save()
        readers.append(user)
    return readers


def _comment(article, rng, readers, moment, body, status=Comment.Status.PUBLISHED):
    if rng.random() < 0.3:
        user = rng.choice(readers)
        name, email = user.profile.display_name, ""
    else:
        user = None
        name = rng.choice(GUESTS)
        email = f"{name.split()[0].lower().strip('.')}{rng.randint(1, 99)}@example.org"
    return Comment(
        article=article,
        user=user,
        name=name,
        email=email,
        body=body,
        body_html=render_plain_text(body),
        status=status,
        created_at=moment,
        published_at=moment if status == Comment.Status.PUBLISHED else None,
        ip_address=f"192.0.2.{rng.randint(1, 254)}",
        user_agent=DEMO_AGENT,
    )


def _times(rng, start, end, count):
    span = max((end - start).total_seconds(), 60)
    return sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))


@transaction.atomic
def seed_demo_comments(stdout=None):
    """Comments under the published stories; returns how many were made."""
    if Comment.objects.filter(user_agent=DEMO_AGENT).exists():
        return 0  # seeded before
    rng = random.Random(20261124)
    now = timezone.now()
    readers = demo_readers()
    BannedWord.objects.get_or_create(word="idiot*")
    stories = [a for a in Article.objects.published().order_by("-published_at") if not a.comments.exists()]
    busy = next((a for a in stories if moderator.allow(a)), None)
    made = []
    for index, article in enumerate(stories):
        start = article.published_at + timedelta(minutes=5)
        end = min(now - timedelta(minutes=2), article.published_at + timedelta(days=3))
        if article == busy:
            bodies = [rng.choice(SHORT if rng.random() < 0.8 else LONG) for _ in range(BUSY_THREAD_SIZE)]
        else:
            count = rng.randint(0, 7) if index % 4 else 0  # some stories have no comments yet
            bodies = [rng.choice(SHORT) for _ in range(count)]
            if count >= 3:
                bodies[1] = LONG[index % len(LONG)]
        for moment, body in zip(_times(rng, start, end, len(bodies)), bodies, strict=True):
            made.append(_comment(article, rng, readers, moment, body))
        if article == busy or index == 1:
            # Something for the moderators' queue.
            held_at = now - timedelta(minutes=rng.randint(3, 30))
            comment = _comment(
                article,
                rng,
                readers,
                held_at,
                "Buy cheap watches at https://spam.example https://spam.example/2 https://spam.example/3",
                status=Comment.Status.PENDING,
            )
            comment.hold_reason = Comment.HoldReason.LINKS
            made.append(comment)
    Comment.objects.bulk_create(made)
    # Drawn now, as save() would have: the first reader of each thread need not wait for it.
    entries.store(list(Comment.objects.filter(user_agent=DEMO_AGENT).for_display()))
    refresh_comment_counts([article.pk for article in stories])
    if stdout is not None and made:
        stdout.write(f"  comments {len(made)} on {len(stories)} stories ({BUSY_THREAD_SIZE} on “{busy}”)")
    return len(made)
