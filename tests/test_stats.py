"""Stats core: the funnel, reply rates by degree and source, the referral tree, interviews per offer;
and the message that shows them."""

from __future__ import annotations

import pytest
from helpers import texts

from bot.blocks import stats as blocks
from bot.domain import stats as core
from bot.domain.stats import AttemptRecord, ContactRecord, InterviewRecord, OfferRatio, Rate
from bot.fakeslack import validate_message_blocks


def contact(cid: int, degree: str = "first", source: str = "alumni", **kw) -> ContactRecord:
    return ContactRecord(id=cid, stage=kw.pop("stage", "target"), degree=degree, source=source, **kw)


class TestZero:
    def test_nothing_at_all(self) -> None:
        stats = core.compute([])
        assert stats.funnel == core.Funnel()
        assert [line.rate.text() for line in stats.by_degree] == ["—", "—", "—"]
        assert stats.by_source == ()
        assert stats.overall.ratio is None and stats.overall.text() == "—"
        assert stats.referrals.per_interviewed is None and stats.referrals.longest_chain == 0
        assert stats.offers.per_offer is None
        assert stats.offers.text() == "No informational interview done yet."

    def test_contacts_but_no_request(self) -> None:
        stats = core.compute([contact(1), contact(2, "cold")])
        assert stats.funnel.targets == 2 and stats.funnel.requests == 0
        assert {line.key: (line.contacts, line.rate.text()) for line in stats.by_degree} == {
            "first": (1, "—"),
            "second": (0, "—"),
            "cold": (1, "—"),
        }

    def test_zero_message_is_valid_and_helpful(self) -> None:
        message = blocks.stats_message(core.compute([]))
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        assert "/infoint log" in shown and "1 offer per 12" in shown and "—" in shown


class TestRate:
    @pytest.mark.parametrize(
        ("part", "whole", "text", "percent"),
        [
            (0, 0, "—", None),
            (0, 3, "0 of 3 (0%)", 0),
            (2, 3, "2 of 3 (67%)", 67),
            (5, 5, "5 of 5 (100%)", 100),
        ],
    )
    def test_rate(self, part: int, whole: int, text: str, percent: int | None) -> None:
        assert Rate(part, whole).text() == text and Rate(part, whole).percent == percent


class TestFunnel:
    def test_counts(self) -> None:
        contacts = [
            contact(1),  # a target, nothing sent
            contact(2),  # requested, no answer yet
            contact(3, "second", outcome="lead"),  # said no, but a lead anyway
            contact(4, "second", outcome="application"),  # said later
            contact(5, "cold", outcome="offer"),  # said yes, interviewed
            contact(6, "first"),  # scheduled straight from the target list: asked in person
            contact(7, "cold", introducer_id=5),  # a referral, said yes, interview cancelled
        ]
        attempts = [
            AttemptRecord(2, "pending"),
            AttemptRecord(3, "no"),
            AttemptRecord(4, "pending"),
            AttemptRecord(4, "later"),
            AttemptRecord(5, "no_response"),
            AttemptRecord(5, "yes"),
            AttemptRecord(7, "yes"),
        ]
        interviews = [
            InterviewRecord(5, "done"),
            InterviewRecord(5, "done"),  # a second conversation: one contact, two interviews
            InterviewRecord(6, "scheduled"),
            InterviewRecord(7, "cancelled"),
        ]
        stats = core.compute(contacts, attempts, interviews)
        assert stats.funnel == core.Funnel(
            targets=7, requests=6, replies=5, interviews=1, referrals=1, leads=3, applications=2, offers=1
        )
        assert stats.offers == OfferRatio(interviews=2, offers=1)
        assert stats.overall == Rate(5, 6)

    def test_funnel_steps_never_grow(self) -> None:
        contacts = [contact(i, outcome=o) for i, o in enumerate(["offer", "application", "lead", None], 1)]
        interviews = [InterviewRecord(i, "done") for i in (1, 2)]
        f = core.compute(contacts, [], interviews).funnel
        assert f.targets >= f.requests >= f.replies >= f.interviews
        assert (f.leads, f.applications, f.offers) == (3, 2, 1)

    def test_records_of_unknown_contacts_are_ignored(self) -> None:
        stats = core.compute([contact(1)], [AttemptRecord(99, "yes")], [InterviewRecord(99, "done")])
        assert stats.funnel.requests == 0 and stats.funnel.interviews == 0 and stats.offers.interviews == 0


class TestReplyRates:
    def test_by_degree_and_source(self) -> None:
        contacts = [
            contact(1, "first", "alumni"),
            contact(2, "first", "alumni"),
            contact(3, "second", "referral"),
            contact(4, "cold", "linkedin"),
            contact(5, "cold", "linkedin"),
            contact(6, "cold", "linkedin"),  # never asked: not in the rate
        ]
        attempts = [
            AttemptRecord(1, "yes"),
            AttemptRecord(2, "pending"),
            AttemptRecord(3, "later"),
            AttemptRecord(4, "no_response"),
            AttemptRecord(5, "no"),
        ]
        stats = core.compute(contacts, attempts)
        assert [(line.label, line.contacts, line.rate) for line in stats.by_degree] == [
            ("1st degree", 2, Rate(1, 2)),
            ("2nd degree", 1, Rate(1, 1)),
            ("Cold", 3, Rate(1, 2)),
        ]
        assert [(line.label, line.rate.text()) for line in stats.by_source] == [
            ("Alumni directory", "1 of 2 (50%)"),
            ("LinkedIn", "1 of 2 (50%)"),
            ("Referral from an interview", "1 of 1 (100%)"),
        ]

    def test_unknown_stored_values_are_shown_not_dropped(self) -> None:
        stats = core.compute([contact(1, "weird", "")], [AttemptRecord(1, "yes")])
        assert stats.by_degree[-1].label == "weird" and stats.by_degree[-1].rate == Rate(1, 1)
        assert stats.by_source[0].label == "Unknown"


class TestReferralTree:
    def chain(self) -> list[ContactRecord]:
        # Ann (found on her own) introduced Bob, Bob introduced Cy, Cy introduced Dee: 3 introductions.
        return [
            contact(1, outcome=None),
            contact(2, "second", "referral", introducer_id=1),
            contact(3, "second", "referral", introducer_id=2, outcome="offer"),
            contact(4, "second", "referral", introducer_id=3),
            contact(5, "second", "referral", introducer_id=1),  # Ann's second referral
            contact(6, "cold", "linkedin"),
        ]

    def test_three_level_chain(self) -> None:
        assert core.longest_chain(self.chain()) == 3

    def test_yield(self) -> None:
        interviews = [InterviewRecord(1, "done"), InterviewRecord(2, "done"), InterviewRecord(3, "done")]
        r = core.compute(self.chain(), [], interviews).referrals
        # Referrals from interviewed people: Bob and Eve from Ann, Cy from Bob, Dee from Cy = 4, from 3.
        assert (r.interviewed, r.from_interviewed) == (3, 4)
        assert r.per_interviewed == pytest.approx(4 / 3)
        assert core.per_interviewed_text(r) == "1.3"
        assert (r.referred, r.interviews, r.offers, r.longest_chain) == (4, 2, 1, 3)

    def test_referrals_of_people_not_yet_interviewed_do_not_count_in_the_yield(self) -> None:
        r = core.compute(self.chain(), [], [InterviewRecord(2, "scheduled")]).referrals
        assert r.from_interviewed == 0 and r.per_interviewed is None and r.longest_chain == 3

    @pytest.mark.parametrize(
        ("links", "expected"),
        [
            ({}, 0),
            ({2: 1}, 1),
            ({2: 1, 3: 1, 4: 1}, 1),  # one person, three referrals: a wide tree, not a deep one
            ({2: 1, 3: 2, 4: 3, 5: 4}, 4),
            ({2: 99}, 0),  # an introducer outside the list ends the chain
            ({1: 2, 2: 1}, 1),  # a loop (never made by the app) doesn't hang
            ({1: 1}, 0),  # introduced by themselves
        ],
    )
    def test_longest_chain_shapes(self, links: dict[int, int], expected: int) -> None:
        contacts = [contact(i, introducer_id=links.get(i)) for i in range(1, 6)]
        assert core.longest_chain(contacts) == expected

    def test_order_does_not_matter(self) -> None:
        chain = self.chain()
        assert core.longest_chain(list(reversed(chain))) == core.longest_chain(chain) == 3

    def test_a_long_chain_is_not_recursive(self) -> None:
        contacts = [contact(1)] + [contact(i, introducer_id=i - 1) for i in range(2, 5001)]
        assert core.longest_chain(contacts) == 4999


class TestOfferRatio:
    @pytest.mark.parametrize(
        ("interviews", "offers", "text"),
        [
            (0, 0, "No informational interview done yet."),
            (1, 0, "No offer yet after 1 interview."),
            (7, 0, "No offer yet after 7 interviews."),
            (12, 1, "1 offer per 12 interviews (1 from 12)."),
            (10, 3, "1 offer per 3.3 interviews (3 from 10)."),
            (0, 1, "1 offer, with no informational interview logged."),
            (0, 2, "2 offers, with no informational interview logged."),
        ],
    )
    def test_text(self, interviews: int, offers: int, text: str) -> None:
        assert OfferRatio(interviews, offers).text() == text

    def test_advisers_figure(self) -> None:
        assert "1 offer per 12 informational interviews" in core.advisers_figure()


class TestMessage:
    def test_shows_every_part(self) -> None:
        chain = TestReferralTree().chain()
        attempts = [AttemptRecord(i, "yes") for i in (1, 2, 3)] + [AttemptRecord(6, "no_response")]
        interviews = [InterviewRecord(i, "done") for i in (1, 2, 3)]
        message = blocks.stats_message(core.compute(chain, attempts, interviews))
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        for expected in (
            "*6* targets",
            "*4* requests",
            "*3* replies",
            "*3* interviews",
            "*4* referrals",
            "*1* lead ",
            "*1* offer",
            "1st degree: 1 of 1 (100%)",
            "2nd degree: 2 of 2 (100%)",
            "Cold: 0 of 1 (0%)",
            "LinkedIn: 0 of 1 (0%)",
            "Referral from an interview: 2 of 2 (100%)",
            "Longest chain of introductions: 3 steps",
            "1.3 per person",
            "1 offer per 3 interviews (1 from 3).",
            "Career advisers quote about 1 offer per 12 informational interviews.",
        ):
            assert expected in shown, expected

    def test_stored_labels_are_escaped(self) -> None:
        message = blocks.stats_message(core.compute([contact(1, "<!channel>", "a&b")]))
        shown = texts(message)
        assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown and "a&amp;b" in shown
