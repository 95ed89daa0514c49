"""The referral chain (pure), the LIKE escaping, and the chain query against a real database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.chain import MAX_DEPTH, Chain, chain_of, render
from bot.domain.pipeline import Stage
from storage.db import Database
from storage.lookup import LookupStore, escape_like
from storage.repository import Repository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def names(chain: Chain) -> list[str]:
    return list(chain.names)


class TestChainOf:
    def test_one_contact_nobody_introduced(self) -> None:
        chain = chain_of(1, {1: ("Ada", None)})
        assert names(chain) == ["Ada"] and chain.ids == (1,) and chain.complete and len(chain) == 1

    def test_three_levels_first_contact_first(self) -> None:
        known = {1: ("Ada", None), 2: ("Linus", 1), 3: ("Barbara", 2)}
        chain = chain_of(3, known)
        assert names(chain) == ["Ada", "Linus", "Barbara"] and chain.ids == (1, 2, 3) and chain.complete
        assert render(chain.names) == "Ada → Linus → Barbara"
        assert names(chain_of(2, known)) == ["Ada", "Linus"]

    def test_unknown_contact_gives_an_empty_chain(self) -> None:
        chain = chain_of(9, {1: ("Ada", None)})
        assert chain == Chain() and render(chain.names) == ""

    def test_a_cycle_stops_before_going_round_again(self) -> None:
        known = {1: ("Ada", 3), 2: ("Linus", 1), 3: ("Barbara", 2)}
        chain = chain_of(3, known)
        assert names(chain) == ["Ada", "Linus", "Barbara"] and not chain.complete
        assert render(chain.names, chain.complete) == "… → Ada → Linus → Barbara"

    def test_a_contact_that_introduced_itself(self) -> None:
        chain = chain_of(1, {1: ("Ada", 1)})
        assert names(chain) == ["Ada"] and not chain.complete

    def test_a_missing_ancestor_ends_the_chain(self) -> None:
        # 7 was removed, or belongs to someone else: the chain starts at Linus.
        chain = chain_of(3, {2: ("Linus", 7), 3: ("Barbara", 2)})
        assert names(chain) == ["Linus", "Barbara"] and chain.complete

    def test_depth_cap(self) -> None:
        known = {i: (f"P{i}", i - 1 if i > 1 else None) for i in range(1, 31)}
        chain = chain_of(30, known)
        assert len(chain) == MAX_DEPTH == 20 and not chain.complete
        assert chain.names[0] == "P11" and chain.names[-1] == "P30"
        # Exactly MAX_DEPTH people with a real start is complete.
        exact = chain_of(20, known)
        assert len(exact) == 20 and exact.complete and exact.names[0] == "P1"
        assert len(chain_of(30, known, max_depth=3)) == 3

    def test_depth_must_be_positive(self) -> None:
        with pytest.raises(ValueError):
            chain_of(1, {1: ("Ada", None)}, max_depth=0)


class TestRender:
    def test_fits(self) -> None:
        assert render(["Ada", "Linus"], max_chars=100) == "Ada → Linus"

    def test_middle_gives_way_first_and_last_stay(self) -> None:
        people = ["Ada", "Bo", "Cy", "Di", "Ed", "Barbara"]
        text = render(people, max_chars=24)
        assert text.startswith("Ada → … → ") and text.endswith("Barbara") and len(text) <= 24
        assert text == "Ada → … → Ed → Barbara"

    def test_cut_chain_keeps_the_last_ones(self) -> None:
        text = render(["Ada", "Bo", "Cy", "Barbara"], complete=False, max_chars=16)
        assert text == "… → Cy → Barbara"

    def test_the_contact_is_always_shown(self) -> None:
        assert render(["Ada", "X" * 50], max_chars=10) == "… → " + "X" * 50


class TestEscapeLike:
    @pytest.mark.parametrize(
        ("typed", "pattern"),
        [("ada", "ada"), ("50%", "50\\%"), ("a_b", "a\\_b"), ("c:\\x", "c:\\\\x"), ("\\%", "\\\\\\%")],
    )
    def test_wildcards_and_the_escape_char_are_literal(self, typed: str, pattern: str) -> None:
        assert escape_like(typed) == pattern


class TestChainQuery:
    def add(self, repo: Repository, owner, name: str, introducer: int | None = None) -> int:
        values = {
            "name": name,
            "degree": "second" if introducer else "first",
            "introducer_contact_id": introducer,
        }
        return repo.add_contact(owner, values, Stage.TARGET, NOW).id

    def test_loads_ancestors_scoped_to_the_owner_and_workspace(self, db: Database) -> None:
        with db.session() as session:
            repo = Repository(session, "T0001")
            me, other = repo.get_or_create_user("U0ME", NOW), repo.get_or_create_user("U0OTHER", NOW)
            theirs = self.add(repo, other, "Not Mine")
            ada = self.add(repo, me, "Ada")
            linus = self.add(repo, me, "Linus", ada)
            barbara = self.add(repo, me, "Barbara", linus)
            stray = self.add(repo, me, "Stray", theirs)  # points at someone else's contact
            elsewhere = Repository(session, "T0002")
            far = self.add(elsewhere, elsewhere.get_or_create_user("U0ME", NOW), "Far Away")
            me_id = me.id
        with db.session() as session:
            known = LookupStore(session, "T0001").chain_records(me_id, [barbara, stray])
            assert set(known) == {ada, linus, barbara, stray}
            assert names(chain_of(barbara, known)) == ["Ada", "Linus", "Barbara"]
            assert names(chain_of(stray, known)) == ["Stray"]
            # Another workspace's query never reads these.
            assert LookupStore(session, "T0002").chain_records(me_id, [barbara]) == {}
            assert far not in known

    def test_cycles_and_long_lines_stay_bounded(self, db: Database) -> None:
        with db.session() as session:
            repo = Repository(session, "T0001")
            me = repo.get_or_create_user("U0ME", NOW)
            ids = [self.add(repo, me, "P1")]
            for n in range(2, 31):
                ids.append(self.add(repo, me, f"P{n}", ids[-1]))
            a, b = self.add(repo, me, "A"), self.add(repo, me, "B")
            session.flush()
            repo.contact_of(me, a).introducer_contact_id = b  # type: ignore[union-attr]
            repo.contact_of(me, b).introducer_contact_id = a  # type: ignore[union-attr]
            me_id = me.id
        with db.session() as session:
            store = LookupStore(session, "T0001")
            known = store.chain_records(me_id, [ids[-1]])
            assert len(known) == MAX_DEPTH + 1  # one more than shown, to know the chain was cut
            long = chain_of(ids[-1], known)
            assert len(long) == MAX_DEPTH and not long.complete and long.names[-1] == "P30"
            loop = chain_of(b, store.chain_records(me_id, [b]))
            assert names(loop) == ["A", "B"] and not loop.complete
