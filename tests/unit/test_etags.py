"""``If-None-Match`` parsing: weak comparison over a list of tags, ``*``, and malformed
values naming nothing (RFC 9110 §8.8.3, §13.1.2)."""

import pytest

from interfaces.http.etags import none_match, weak_etag


@pytest.mark.parametrize(
    "header",
    [
        '"3"',
        'W/"3"',
        "*",
        ' "3" ',
        '"1", "3"',
        '"1",W/"3"',
        ' , "1" ,, "3" , ',
        '"a,b", "3"',
    ],
)
def test_names_the_current_tag(header: str) -> None:
    assert none_match(header, '"3"')


@pytest.mark.parametrize(
    "header",
    [
        '"4"',
        '"1", "2"',
        '"33"',
        "3",
        '"3',
        'w/"3"',
        '"3" "4"',
        '"3" x',
        '*, "3"',
        '"a,b"',
        "",
        " , ",
        '"\x7f3"',
    ],
)
def test_other_tags_and_malformed_values_name_nothing(header: str) -> None:
    assert not none_match(header, '"3"')


def test_a_weak_tag_is_matched_in_either_form() -> None:
    tag = weak_etag(b'{"items":[]}')
    opaque = tag.removeprefix("W/")
    assert none_match(tag, tag)
    assert none_match(opaque, tag)
    assert not none_match(weak_etag(b'{"items":[1]}'), tag)


def test_a_weak_tag_follows_every_byte_of_the_body() -> None:
    tags = {weak_etag(body) for body in (b"", b"a", b"b", b"ab", b"ba", b"a" * 10_000)}
    assert len(tags) == 6
    assert weak_etag(b"ab") == weak_etag(b"ab")
    assert all(tag.startswith('W/"') and tag.endswith('"') for tag in tags)
