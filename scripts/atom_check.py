#!/usr/bin/env python3
"""Checks that a file is an Atom 1.0 feed as RFC 4287 defines it, and that a feed reader reads
it: the document's rules (section 4, the MUSTs of each element) with lxml, then feedparser
(what most readers use) must read it without complaint, each entry with its id, title, link
and date. Prints each problem and exits 1 when there is one.

    atom_check.py FEED.xml
"""
import re
import sys

import feedparser
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
# RFC 3339 date-time, as section 3.3 requires (an upper-case T and Z, a time zone always).
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
TEXT_TYPES = {"text", "html", "xhtml"}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def children(element, name):
    return element.findall(f"a:{name}", NS)


def exactly_one(element, name, where):
    found = children(element, name)
    if len(found) != 1:
        problem(where, f"{len(found)} atom:{name}, exactly one required")
    return found[0] if found else None


def at_most_one(element, name, where):
    found = children(element, name)
    if len(found) > 1:
        problem(where, f"{len(found)} atom:{name}, at most one allowed")


def text_construct(element, where):
    if element is None:
        return
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        problem(where, f"type '{kind}' is not text, html or xhtml")
    if kind in ("text", "html") and len(element):
        problem(where, f"a {kind} construct holds child elements")
    if kind == "text" and not (element.text or "").strip():
        problem(where, "empty text")


def date_construct(element, where):
    if element is not None and not DATE.match((element.text or "").strip()):
        problem(where, f"'{element.text}' is not an RFC 3339 date-time")


def iri(value, where):
    if not value or not IRI.match(value):
        problem(where, f"'{value}' is not an absolute IRI")


def person(element, where):
    exactly_one(element, "name", where)
    for uri in children(element, "uri"):
        iri((uri.text or "").strip(), f"{where}/uri")


def links(element, where):
    alternates = set()
    for link in children(element, "link"):
        href = link.get("href")
        if href is None:
            problem(where, "an atom:link without href")
            continue
        iri(href, f"{where}/link")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problem(where, f"two alternate links with type and hreflang {key}")
            alternates.add(key)
    return alternates


def categories(element, where):
    for category in children(element, "category"):
        if not category.get("term"):
            problem(where, "an atom:category without term")
        if category.get("scheme") is not None:
            iri(category.get("scheme"), f"{where}/category/@scheme")


def check_entry(entry, index, feed_has_author):
    where = f"entry {index + 1}"
    ident = exactly_one(entry, "id", where)
    if ident is not None:
        iri((ident.text or "").strip(), f"{where}/id")
    text_construct(exactly_one(entry, "title", where), f"{where}/title")
    date_construct(exactly_one(entry, "updated", where), f"{where}/updated")
    for name in ("published", "rights", "summary", "content", "source"):
        at_most_one(entry, name, where)
    for published in children(entry, "published"):
        date_construct(published, f"{where}/published")
    for summary in children(entry, "summary"):
        text_construct(summary, f"{where}/summary")
    authors = children(entry, "author")
    if not authors and not feed_has_author:
        problem(where, "no atom:author, and the feed has none")
    for author in authors:
        person(author, f"{where}/author")
    alternates = links(entry, where)
    if not children(entry, "content") and not alternates:
        problem(where, "no atom:content, so an alternate link is required")
    categories(entry, where)
    return (ident.text or "").strip() if ident is not None else None


def check(path):
    try:
        tree = etree.parse(path, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        problem(path, f"not well-formed XML: {error}")
        return
    feed = tree.getroot()
    if feed.tag != f"{{{ATOM}}}feed":
        problem(path, f"the root is {feed.tag}, not atom:feed")
        return
    ident = exactly_one(feed, "id", "feed")
    if ident is not None:
        iri((ident.text or "").strip(), "feed/id")
    text_construct(exactly_one(feed, "title", "feed"), "feed/title")
    date_construct(exactly_one(feed, "updated", "feed"), "feed/updated")
    for name in ("subtitle", "rights", "generator", "icon", "logo"):
        at_most_one(feed, name, "feed")
    for name in ("subtitle", "rights"):
        for element in children(feed, name):
            text_construct(element, f"feed/{name}")
    authors = children(feed, "author")
    for author in authors:
        person(author, "feed/author")
    links(feed, "feed")
    if not any(l.get("rel") == "self" for l in children(feed, "link")):
        problem("feed", "no rel=self link (section 4.2.7.2: SHOULD)")
    categories(feed, "feed")
    ids = [check_entry(e, i, bool(authors)) for i, e in enumerate(children(feed, "entry"))]
    if len(set(ids)) != len(ids):
        problem("feed", "two entries share an atom:id")

    parsed = feedparser.parse(path)
    if parsed.bozo:
        problem("feedparser", str(parsed.bozo_exception))
    if parsed.version != "atom10":
        problem("feedparser", f"read as {parsed.version!r}, not atom10")
    if len(parsed.entries) != len(ids):
        problem("feedparser", f"{len(parsed.entries)} entries read, {len(ids)} in the file")
    for i, entry in enumerate(parsed.entries):
        for field in ("id", "title", "link", "updated_parsed"):
            if not entry.get(field):
                problem(f"feedparser entry {i + 1}", f"no {field}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    check(sys.argv[1])
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)
