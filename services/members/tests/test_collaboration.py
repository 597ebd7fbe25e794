from cmo_members.collaboration.domain import (
    Candidate,
    Category,
    PostFacts,
    PostKind,
    find_matches,
    post_reasons,
    profile_reasons,
)


def _post(post_id: str, member_id: str, kind: PostKind, category: Category, **facts) -> PostFacts:
    return PostFacts(post_id=post_id, member_id=member_id, kind=kind, category=category, **facts)


EXPORT_REQUEST = _post(
    "p1",
    "author",
    PostKind.REQUEST,
    Category.JOINT_EXPORT,
    tags=frozenset({"cheese", "haccp"}),
    sectors=("10.5",),
    markets=frozenset({"DE", "PL"}),
)


def test_a_profile_matches_by_sector_prefix_products_certifications_and_markets() -> None:
    dairy = Candidate("m1", "10.51", ["Cheese"], ["HACCP"], ["DE", "AM"])
    assert profile_reasons(EXPORT_REQUEST, dairy) == [
        "sector 10.51 is within 10.5",
        "offers product Cheese",
        "holds HACCP",
        "exports to DE",
    ]
    assert profile_reasons(EXPORT_REQUEST, Candidate("m2", "11.07", ["Lemonade"])) == []


def test_export_markets_count_only_for_joint_export() -> None:
    equipment = _post(
        "p", "a", PostKind.OFFER, Category.SHARED_EQUIPMENT, markets=frozenset({"DE"})
    )
    assert profile_reasons(equipment, Candidate("m", "01.1", export_markets=["DE"])) == []


def test_an_offer_answers_a_request_of_the_same_category_only() -> None:
    offer = _post("p2", "other", PostKind.OFFER, Category.JOINT_EXPORT, tags=frozenset({"cheese"}))
    assert post_reasons(EXPORT_REQUEST, offer) == ["offer p2 shares tag cheese"]
    subcontracting = _post(
        "p3", "other", PostKind.OFFER, Category.SUBCONTRACTING, tags=frozenset({"cheese"})
    )
    assert post_reasons(EXPORT_REQUEST, subcontracting) == []


def test_two_requests_meet_only_where_both_sides_seek_partners() -> None:
    partner = _post(
        "p4", "other", PostKind.REQUEST, Category.JOINT_EXPORT, markets=frozenset({"PL"})
    )
    assert post_reasons(EXPORT_REQUEST, partner) == ["request p4 targets PL too"]
    wants = _post("a", "x", PostKind.REQUEST, Category.SHARED_EQUIPMENT, tags=frozenset({"oven"}))
    also_wants = _post(
        "b", "y", PostKind.REQUEST, Category.SHARED_EQUIPMENT, tags=frozenset({"oven"})
    )
    assert post_reasons(wants, also_wants) == []


def test_sectors_overlap_either_way() -> None:
    broad = _post("b", "x", PostKind.OFFER, Category.SUBCONTRACTING, sectors=("10",))
    narrow = _post("n", "y", PostKind.REQUEST, Category.SUBCONTRACTING, sectors=("10.51",))
    assert post_reasons(narrow, broad) == ["offer b shares sector 10.51"]


def test_one_match_per_member_merging_profile_and_post_and_never_the_author() -> None:
    candidates = [
        Candidate("author", "10.51", ["Cheese"]),
        Candidate("m1", "10.51", ["Cheese"]),
        Candidate("m2", "25.1"),
    ]
    open_posts = [
        _post("o1", "m1", PostKind.OFFER, Category.JOINT_EXPORT, tags=frozenset({"haccp"})),
        _post("o2", "m2", PostKind.OFFER, Category.JOINT_EXPORT, sectors=("10",)),
        _post("o3", "author", PostKind.OFFER, Category.JOINT_EXPORT, tags=frozenset({"cheese"})),
    ]
    matches = find_matches(EXPORT_REQUEST, candidates, open_posts)
    assert [(m.member_id, m.post_id) for m in matches] == [("m1", "o1"), ("m2", "o2")]
    assert matches[0].reasons == [
        "sector 10.51 is within 10.5",
        "offers product Cheese",
        "offer o1 shares tag haccp",
    ]


def test_posts_of_members_not_in_good_standing_are_not_matched() -> None:
    suspended_offer = _post(
        "o", "suspended", PostKind.OFFER, Category.JOINT_EXPORT, tags=frozenset({"cheese"})
    )
    assert find_matches(EXPORT_REQUEST, [Candidate("m1", "01.1")], [suspended_offer]) == []
