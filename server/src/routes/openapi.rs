//! `GET /api/v1/openapi.json`: the OpenAPI 3 description of the REST routes, generated from
//! the annotations on their handlers.

use axum::response::{IntoResponse, Response};
use utoipa::{IntoParams, OpenApi};

/// The search filters, shared by the search, the CSV and the IATI routes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Full text over titles, descriptions, objectives and partner names; accents and case do
    /// not matter, French words are stemmed.
    q: Option<String>,
    /// ISO 3166 alpha-2 code of a partner country; repeat for several (ORed).
    country: Option<Vec<String>>,
    /// World zone: north_africa_middle_east, sub_saharan_africa, americas, asia_oceania, europe.
    zone: Option<Vec<String>>,
    /// Theme code (e.g. DUR.EAU); includes its sub-themes. Repeatable.
    theme: Option<Vec<String>>,
    /// ongoing, completed or planned. Repeatable.
    status: Option<Vec<String>>,
    /// Form of partnership code (e.g. JUMELAGE). Repeatable.
    form: Option<Vec<String>>,
    /// Earliest start year.
    start_year_min: Option<i32>,
    /// Latest start year.
    start_year_max: Option<i32>,
    /// Earliest year of the first agreement.
    agreement_year_min: Option<i32>,
    /// Latest year of the first agreement.
    agreement_year_max: Option<i32>,
    /// Kind of French authority: commune, epci, departement, region, com (overseas
    /// collectivity). Repeatable.
    authority_kind: Option<Vec<String>>,
    /// Identity of a French authority: its kind and its INSEE code, or its SIREN for an EPCI
    /// (`commune-73065`, `epci-200069110`, `departement-75`, `region-75`, `com-975`). A bare
    /// INSEE code or SIREN is also accepted; a code shared by a département and a région
    /// (`75`) matches both. Repeatable.
    french_authority: Option<Vec<String>>,
    /// Id of a foreign local authority. Repeatable.
    foreign_partner: Option<Vec<i32>>,
    /// INSEE code of a French région. Repeatable.
    region: Option<Vec<String>>,
    /// INSEE code of a French département. Repeatable.
    departement: Option<Vec<String>>,
    /// Kind of funder: french_authority, state, afd, water_agency, european_union, other.
    funder: Option<Vec<String>>,
    /// Band of total funding: none, lt_10k, 10k_50k, 50k_200k, 200k_1m, gte_1m.
    amount: Option<Vec<String>>,
    /// yes or no: with volunteers.
    volunteers: Option<String>,
    /// relevance (default), start_year, title, amount.
    sort: Option<String>,
    /// Page number, from 1.
    page: Option<u32>,
    /// Results per page, at most 100 (default 20).
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/partnerships", params(SearchParams), tag = "partnerships",
    responses(
        (status = 200, description = "`{total, page, per_page, items, facets, licence, last_change}`; each facet a list of `{value, label, count}` computed with every filter but its own", content_type = "application/json"),
        (status = 400, description = "An unknown parameter or value; `fields` names it", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn search() {}

#[utoipa::path(get, path = "/api/v1/partnerships.csv", params(SearchParams), tag = "partnerships",
    responses(
        (status = 200, description = "Every matching partnership, one row each (RFC 4180, UTF-8), streamed; schema at /api/v1/schema/partnerships.json", content_type = "text/csv"),
        (status = 400, description = "An unknown parameter or value", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn csv() {}

#[utoipa::path(get, path = "/api/v1/partnerships.atom", params(SearchParams), tag = "partnerships",
    responses(
        (status = 200, description = "Atom feed (RFC 4287) of the 50 matching partnerships published or updated last, newest first", content_type = "application/atom+xml"),
        (status = 400, description = "An unknown parameter or value", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn atom() {}

#[utoipa::path(get, path = "/api/v1/partnerships.iati.xml", params(SearchParams), tag = "partnerships",
    responses(
        (status = 200, description = "IATI 2.03 activities of every matching partnership, streamed", content_type = "application/xml"),
        (status = 400, description = "An unknown parameter or value", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn iati() {}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}", tag = "partnerships",
    params(("id" = i32, Path, description = "Id of a published partnership")),
    responses(
        (status = 200, description = "The published partnership, every field of its page but personal data: contacts abroad, embassy agents and volunteers keep their role, authority and mission, not their names or emails (the page shows them to readers). `french_partners[].code` is the authority's identity (`commune-78361`), `official_code` its INSEE code or SIREN", content_type = "application/json"),
        (status = 404, description = "No published partnership with this id", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn partnership() {}

#[utoipa::path(get, path = "/api/v1/schema/partnerships.json", tag = "partnerships",
    responses(
        (status = 200, description = "Table Schema (Frictionless Data) of the CSV export", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn csv_schema() {}

#[utoipa::path(get, path = "/api/v1/themes", tag = "referentials",
    responses(
        (status = 200, description = "The theme taxonomy, three levels: `items` of `{code, parent, level, label_fr, label_en}` in the taxonomy's order; the vocabulary of the IATI export's sectors", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn themes() {}

#[utoipa::path(get, path = "/api/v1/authorities", tag = "referentials",
    params(("q" = String, Query, description = "The first letters of a French authority's name, or of a word of it (accents and case ignored); at least two")),
    responses(
        (status = 200, description = "`items`: at most 20 authorities `{id, kind, code, siren, name, departement, region, page}`, names that start with the text first, then régions, départements, EPCI, communes, the most populous first", content_type = "application/json"),
        (status = 400, description = "`q` is missing or too short", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn authorities() {}

#[utoipa::path(get, path = "/api/v1/authorities/{key}", tag = "referentials",
    params(("key" = String, Path, description = "An identity (`departement-75`), a commune's INSEE code, a SIREN, or a bare département or région code")),
    responses(
        (status = 200, description = "The authority `{id, kind, code, siren, name, departement, region, page}`", content_type = "application/json"),
        (status = 300, description = "A code shared by several authorities (a département and a région): `{code, candidates}`", content_type = "application/json"),
        (status = 404, description = "No such authority", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn authority() {}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/synergies", tag = "synergies",
    params(("id" = i32, Path, description = "Id of a published partnership")),
    responses(
        (status = 200, description = "`{countries}`: in each of its countries, the other French authorities working there on a related theme (sharing at least the parent theme), as its page's \"Qui d'autre ?\" panel ranks them. Each country: `{country, country_name, country_name_en, total, peers, embassy}`; `total` authorities in all, `peers` the first of them, closest first, each `{id, name, name_en, closeness, count, ongoing, partnerships}` (`closeness`: `{same_partner, theme_level, activity}`, compared in that order; `partnerships`: `{item, closeness}`, closest then most recent first); `embassy` keeps its agents' roles, not their names or emails", content_type = "application/json"),
        (status = 404, description = "No published partnership with this id", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn partnership_synergies() {}

#[utoipa::path(get, path = "/api/v1/authorities/{key}/synergies", tag = "synergies",
    params(("key" = String, Path, description = "An identity (`commune-73065`), a commune's INSEE code, a SIREN, or a bare département or région code")),
    responses(
        (status = 200, description = "`{countries}`: in each of its countries (at most 12, most partnerships first), the other French authorities working there on a theme related to its partnerships there, each country as for a partnership", content_type = "application/json"),
        (status = 300, description = "A code shared by several authorities (a département and a région): `{code, candidates}`", content_type = "application/json"),
        (status = 404, description = "No such authority", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn authority_synergies() {}

#[utoipa::path(get, path = "/api/v1/synergies", params(SearchParams), tag = "synergies",
    responses(
        (status = 200, description = "The authorities with partnerships in the selection (any of the search's filters: `country=BF&theme=DUR.EAU`), most ongoing partnerships there first, at most 50 listed; the embassy when one country is chosen (its agents' roles, not their names or emails): `{country, country_name, country_name_en, total, peers, embassy}` as for a partnership", content_type = "application/json"),
        (status = 400, description = "An unknown parameter or value; `fields` names it", content_type = "application/json"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn synergies() {}

#[utoipa::path(get, path = "/carte/{map}", tag = "maps",
    params(("map" = String, Path, description = "monde.svg, regions.svg or departements.svg"), SearchParams),
    responses(
        (status = 200, description = "A choropleth of the matching partnerships, each area linking to the filtered search", content_type = "image/svg+xml"),
        (status = 404, description = "Unknown map"),
        (status = 503, description = "The server has just started and builds its search index; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn map() {}

#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service is alive (it answers at once after starting)", content_type = "text/plain")))]
#[allow(dead_code)]
fn healthz() {}

#[utoipa::path(get, path = "/readyz", tag = "service",
    responses(
        (status = 200, description = "The database answers and the search index is built", content_type = "application/json"),
        (status = 503, description = "Not ready yet: the database does not answer or the search index is being built; `Retry-After` says when to ask again", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn readyz() {}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service",
    responses((status = 200, description = "This description", content_type = "application/json")))]
#[allow(dead_code)]
fn openapi() {}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body(content = String, description = "`{\"email\", \"password\"}`", content_type = "application/json"),
    responses(
        (status = 200, description = "Signed in: the session cookie `atlas_session` (a new id), and the account `{id, email, role, function, authorities: [{code, name}], countries}`", content_type = "application/json"),
        (status = 422, description = "Wrong email or password (the same answer for both): `{errors: {password: [...]}}`", content_type = "application/json"),
        (status = 429, description = "Too many attempts for this email or address", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn login() {}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204, description = "Signed out; the session is deleted")))]
#[allow(dead_code)]
fn logout() {}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "accounts",
    responses(
        (status = 200, description = "The signed-in account", content_type = "application/json"),
        (status = 401, description = "Nobody is signed in", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn me() {}

#[utoipa::path(post, path = "/api/v1/partnerships", tag = "contributions",
    request_body(content = String, description = "The partnership JSON without `id` (the read route's fields; French partners by identity, INSEE code, SIREN or name; foreign partners `{id}` or `{name, country}`). A draft may be incomplete.", content_type = "application/json"),
    responses(
        (status = 201, description = "`{id, state: \"draft\", version}`", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Not for this account's authorities or countries", content_type = "application/json"),
        (status = 422, description = "`{errors: {field: [messages]}}`, in French, each field named as in the JSON (`fundings[0].amount_eur`)", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn create() {}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}", tag = "contributions",
    params(("id" = i32, Path, description = "Id of a partnership the account may change")),
    request_body(content = String, description = "The whole partnership, with the `version` it was read at", content_type = "application/json"),
    responses(
        (status = 200, description = "`{id, state, version}`: the new version. A staff member's change to a published partnership is kept as a proposed change (`proposed: true`) until a moderator publishes it; the published text stays meanwhile. A moderator's change publishes at once", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Not this account's, or not editable in its state", content_type = "application/json"),
        (status = 409, description = "Saved by someone else since `version`: `{version, changed: [fields], changes: [{field, kind, …}]}`, the version to edit from now and what changed since the one read, each field as it now stands; nothing was written", content_type = "application/json"),
        (status = 422, description = "`{errors: {field: [messages]}}`", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn save() {}

#[utoipa::path(patch, path = "/api/v1/partnerships/{id}", tag = "contributions",
    params(("id" = i32, Path, description = "Id of a partnership the account may change")),
    request_body(content = String, description = "Some fields of the partnership (`{\"title\": …}`, `{\"fundings\": […]}`) with the `version` read; the others stay as they are", content_type = "application/json"),
    responses(
        (status = 200, description = "As `PUT`", content_type = "application/json"),
        (status = 409, description = "As `PUT`", content_type = "application/json"),
        (status = 422, description = "`{errors: {field: [messages]}}`", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn patch() {}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/history", tag = "partnerships",
    params(("id" = i32, Path, description = "Id of a partnership")),
    responses(
        (status = 200, description = "`{id, title, entries: [{number, state, created_at, by, changes}], can_restore}`, newest first; `changes` compares each revision with the one before it (long texts word by word, tables row by row). Everyone sees the publications of a published partnership and on whose behalf (`by`: authorities, moderation, import); the people who may change or moderate it also see every draft, proposed change and decision, with `author` and `comment`", content_type = "application/json"),
        (status = 404, description = "No such partnership, or not published and not the account's", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn history() {}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/revisions/{n}", tag = "partnerships",
    params(
        ("id" = i32, Path, description = "Id of a partnership"),
        ("n" = i32, Path, description = "A revision number (the version it was)"),
    ),
    responses(
        (status = 200, description = "The partnership as it stood at that revision, with its `state`; without personal data for everyone but the people who may change or moderate it", content_type = "application/json"),
        (status = 404, description = "No such revision that the account may see", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn revision() {}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/revisions/{n}/restore", tag = "moderation",
    params(
        ("id" = i32, Path, description = "Id of a partnership"),
        ("n" = i32, Path, description = "The revision to bring back"),
    ),
    request_body(content = String, description = "Optional `{\"version\", \"comment\"}`", content_type = "application/json"),
    responses(
        (status = 200, description = "`{id, state, version}`: the revision's content as a new revision, published at once when the partnership is", content_type = "application/json"),
        (status = 403, description = "Not a moderator of its countries", content_type = "application/json"),
        (status = 409, description = "A stale `version`, as `PUT`", content_type = "application/json"),
        (status = 422, description = "The revision no longer passes the checks (a theme since removed…)", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn restore() {}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/submit", tag = "contributions",
    params(("id" = i32, Path, description = "Id of a draft or returned partnership")),
    request_body(content = String, description = "Optional `{\"version\"}`", content_type = "application/json"),
    responses(
        (status = 200, description = "`{id, state: \"submitted\", version}`", content_type = "application/json"),
        (status = 409, description = "Not a draft any more, or a stale version", content_type = "application/json"),
        (status = 422, description = "What publication needs is missing (a theme, a foreign partner)", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn submit() {}

#[utoipa::path(get, path = "/api/v1/me/partnerships", tag = "contributions",
    responses((status = 200, description = "The partnerships of the account's authorities, in every state: `[{id, title, state, version, french_partners, countries, updated_at, comment}]`", content_type = "application/json")))]
#[allow(dead_code)]
fn dashboard() {}

#[utoipa::path(get, path = "/api/v1/moderation/queue", tag = "moderation",
    params(
        ("state" = Option<String>, Query, description = "submitted (default), returned, rejected, published"),
        ("country" = Option<String>, Query, description = "ISO 3166 alpha-2"),
        ("authority" = Option<String>, Query, description = "A French authority's identity, INSEE code or SIREN"),
        ("older_than_days" = Option<i64>, Query, description = "Only what has waited this long"),
    ),
    responses(
        (status = 200, description = "Oldest first; an embassy moderator sees its countries'", content_type = "application/json"),
        (status = 403, description = "Not a moderator", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn queue() {}

#[utoipa::path(post, path = "/api/v1/moderation/{id}/{decision}", tag = "moderation",
    params(
        ("id" = i32, Path, description = "Id of a submitted partnership, or of a published one with a proposed change"),
        ("decision" = String, Path, description = "approve (published at once), return or reject"),
    ),
    request_body(content = String, description = "`{\"comment\"}`, required to return or reject; optional `version`", content_type = "application/json"),
    responses(
        (status = 200, description = "`{id, state, version}`; the submitter is emailed", content_type = "application/json"),
        (status = 403, description = "Not a moderator of its countries", content_type = "application/json"),
        (status = 409, description = "Not submitted (any more)", content_type = "application/json"),
        (status = 422, description = "The comment is missing", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn decide() {}

#[utoipa::path(post, path = "/api/v1/moderation/approve", tag = "moderation",
    request_body(content = String, description = "`{\"ids\": [...]}`", content_type = "application/json"),
    responses(
        (status = 200, description = "`{published: [{id, state, version}], refused: [{id, status}]}`", content_type = "application/json"),
        (status = 403, description = "Not a moderator", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn approve_many() {}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts",
    responses(
        (status = 200, description = "The signed-in person's live tokens: `[{id, name, created_at, expires_at, last_used_at}]`, never their secrets", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Asked with a token: tokens are managed with a session", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn tokens_list() {}

#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts",
    request_body(content = String, description = "`{\"name\"}`: what the token is for", content_type = "application/json"),
    responses(
        (status = 201, description = "`{id, name, created_at, expires_at, last_used_at, secret}`: send `Authorization: Bearer {secret}`; the secret is shown this once. A token acts with its owner's rights for a year, until revoked.", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Asked with a token: tokens are managed with a session", content_type = "application/json"),
        (status = 422, description = "`{errors: {name: [messages]}}`: no name, too long, or ten live tokens already", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn tokens_create() {}

#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts",
    params(("id" = i32, Path, description = "Id of one of the signed-in person's tokens")),
    responses(
        (status = 204, description = "Revoked: the token is refused from now on"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Asked with a token", content_type = "application/json"),
        (status = 404, description = "No such live token of this person", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn tokens_revoke() {}

#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "administration",
    params(
        ("q" = Option<String>, Query, description = "Part of the email or of the function"),
        ("role" = Option<String>, Query, description = "admin, moderator or staff"),
        ("state" = Option<String>, Query, description = "active, disabled, requested, unconfirmed or refused"),
    ),
    responses(
        (status = 200, description = "Up to 500 accounts by email: `[{id, email, role, state, function, authorities, authority_codes, countries, created_at}]`", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Not an administrator", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn admin_accounts() {}

#[utoipa::path(get, path = "/api/v1/admin/accounts/{id}", tag = "administration",
    params(("id" = i32, Path, description = "Id of an account")),
    responses(
        (status = 200, description = "The account", content_type = "application/json"),
        (status = 403, description = "Not an administrator", content_type = "application/json"),
        (status = 404, description = "No such account", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn admin_account() {}

#[utoipa::path(put, path = "/api/v1/admin/accounts/{id}", tag = "administration",
    params(("id" = i32, Path, description = "Id of an account")),
    request_body(content = String, description = "`{role, state, function, authorities, countries}`: `state` active or disabled (a suspended account's sessions and tokens are refused from their next request); `authorities` (staff) by identity, INSEE code, SIREN or name; `countries` (embassy moderators) ISO 3166 alpha-2; the lists replace the current ones", content_type = "application/json"),
    responses(
        (status = 200, description = "The account as saved", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Not an administrator", content_type = "application/json"),
        (status = 404, description = "No such account", content_type = "application/json"),
        (status = 422, description = "`{errors: {field: [messages]}}` (`authorities[1]`, `countries[0]`…); an administrator cannot remove their own rights", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn admin_update() {}

/// The five routes of a coded reference list, documented under its own paths.
macro_rules! reference_list_paths {
    ($all:literal, $one:literal, $what:literal,
     $list:ident, $create:ident, $entry:ident, $update:ident, $delete:ident) => {
        #[utoipa::path(get, path = $all, tag = "reference lists",
            responses(
                (status = 200, description = concat!("Every entry of ", $what, ": `[{code, parent, level, label_fr, label_en, position, version, used, children}]`; `used`: partnerships (any state) that use it"), content_type = "application/json"),
                (status = 401, description = "Not signed in", content_type = "application/json"),
                (status = 403, description = "Neither an administrator nor a national moderator", content_type = "application/json"),
            ))]
        #[allow(dead_code)]
        fn $list() {}

        #[utoipa::path(post, path = $all, tag = "reference lists",
            request_body(content = String, description = "`{code, parent, label_fr, label_en, position}`: `code` in capitals (letters, digits, `.`, `-`, `_`), a sub-theme's starting with its parent's and a dot (`DUR.EAU.PLUIE` under `DUR.EAU`), three levels at most; `position` among its siblings, after them when left out. Every server rebuilds its search index from the change log.", content_type = "application/json"),
            responses(
                (status = 201, description = "The entry as saved, at version 1", content_type = "application/json"),
                (status = 401, description = "Not signed in", content_type = "application/json"),
                (status = 403, description = "Neither an administrator nor a national moderator", content_type = "application/json"),
                (status = 422, description = "`{errors: {field: [messages]}}`", content_type = "application/json"),
            ))]
        #[allow(dead_code)]
        fn $create() {}

        #[utoipa::path(get, path = $one, tag = "reference lists",
            params(("code" = String, Path, description = "The entry's code")),
            responses(
                (status = 200, description = "The entry", content_type = "application/json"),
                (status = 401, description = "Not signed in", content_type = "application/json"),
                (status = 403, description = "Neither an administrator nor a national moderator", content_type = "application/json"),
                (status = 404, description = "No such entry", content_type = "application/json"),
            ))]
        #[allow(dead_code)]
        fn $entry() {}

        #[utoipa::path(put, path = $one, tag = "reference lists",
            params(("code" = String, Path, description = "The entry's code")),
            request_body(content = String, description = "`{label_fr, label_en, position, version}`: `version` as read; the code and the parent do not change", content_type = "application/json"),
            responses(
                (status = 200, description = "The entry as saved, its version one more", content_type = "application/json"),
                (status = 401, description = "Not signed in", content_type = "application/json"),
                (status = 403, description = "Neither an administrator nor a national moderator", content_type = "application/json"),
                (status = 404, description = "No such entry", content_type = "application/json"),
                (status = 409, description = "Changed since it was read: read it again", content_type = "application/json"),
                (status = 422, description = "`{errors: {field: [messages]}}`", content_type = "application/json"),
            ))]
        #[allow(dead_code)]
        fn $update() {}

        #[utoipa::path(delete, path = $one, tag = "reference lists",
            params(("code" = String, Path, description = "The entry's code"), ("version" = i32, Query, description = "The version read")),
            responses(
                (status = 204, description = "Deleted (kept in the history)"),
                (status = 401, description = "Not signed in", content_type = "application/json"),
                (status = 403, description = "Neither an administrator nor a national moderator", content_type = "application/json"),
                (status = 404, description = "No such entry", content_type = "application/json"),
                (status = 409, description = "Changed since it was read", content_type = "application/json"),
                (status = 422, description = "In use by partnerships, or a theme with sub-themes: `{errors: {code: [message]}}`", content_type = "application/json"),
            ))]
        #[allow(dead_code)]
        fn $delete() {}
    };
}

reference_list_paths!(
    "/api/v1/admin/themes",
    "/api/v1/admin/themes/{code}",
    "the thematic taxonomy, depth first",
    themes_list,
    theme_create,
    theme_entry,
    theme_update,
    theme_delete
);
reference_list_paths!(
    "/api/v1/admin/forms",
    "/api/v1/admin/forms/{code}",
    "the forms of partnership",
    forms_list,
    form_create,
    form_entry,
    form_update,
    form_delete
);

#[utoipa::path(get, path = "/api/v1/admin/embassies", tag = "reference lists",
    responses(
        (status = 200, description = "The embassies this person keeps (all of them, or an embassy moderator's countries'): `[{country, country_name, name, version, contacts: [{role, name, email}]}]`", content_type = "application/json"),
        (status = 401, description = "Not signed in", content_type = "application/json"),
        (status = 403, description = "Not a moderator or an administrator", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn embassies() {}

#[utoipa::path(get, path = "/api/v1/admin/embassies/{country}", tag = "reference lists",
    params(("country" = String, Path, description = "ISO 3166 alpha-2")),
    responses(
        (status = 200, description = "The embassy and its contacts", content_type = "application/json"),
        (status = 403, description = "Not a keeper of this country's embassy", content_type = "application/json"),
        (status = 404, description = "No embassy there", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn embassy() {}

#[utoipa::path(put, path = "/api/v1/admin/embassies/{country}", tag = "reference lists",
    params(("country" = String, Path, description = "ISO 3166 alpha-2")),
    request_body(content = String, description = "`{name, contacts: [{role, name, email}], version}`: without `version`, adds the embassy; with the version read, changes it; `contacts` replaces the current list; `role` coopdec_correspondent, cooperation_counsellor or other", content_type = "application/json"),
    responses(
        (status = 200, description = "Changed", content_type = "application/json"),
        (status = 201, description = "Added", content_type = "application/json"),
        (status = 403, description = "Not a keeper of this country's embassy", content_type = "application/json"),
        (status = 404, description = "A version was given but there is no embassy there", content_type = "application/json"),
        (status = 409, description = "Changed since it was read", content_type = "application/json"),
        (status = 422, description = "`{errors: {field: [messages]}}` (`contacts[1].email`…)", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn embassy_save() {}

#[utoipa::path(delete, path = "/api/v1/admin/embassies/{country}", tag = "reference lists",
    params(("country" = String, Path, description = "ISO 3166 alpha-2"), ("version" = i32, Query, description = "The version read")),
    responses(
        (status = 204, description = "Deleted with its contacts (kept in the history)"),
        (status = 403, description = "Not a keeper of this country's embassy", content_type = "application/json"),
        (status = 404, description = "No embassy there", content_type = "application/json"),
        (status = 409, description = "Changed since it was read", content_type = "application/json"),
    ))]
#[allow(dead_code)]
fn embassy_delete() {}

#[derive(OpenApi)]
#[openapi(
    modifiers(&Completed),
    info(
        title = "Atlas de la coopération décentralisée",
        description = "Open data of the partnerships between French local authorities and local authorities abroad. Licence Ouverte 2.0. Read routes allow cross-origin GET. No personal data: people's names and emails are left out of every read route, except for the signed-in authors and moderators of a partnership. State-changing requests from a browser must carry an `Origin` of this site. Programs sign in with a session (`POST /api/v1/auth/login`) or send a personal API token made on \"my account\" or by `POST /api/v1/me/tokens`: `Authorization: Bearer atlas_…`; an unknown, revoked or expired token gets 401. A French authority is named by its identity, `{kind}-{code}` (commune-73065, epci-200069110, departement-75, region-11, com-975), since a département and a région may share an INSEE code.",
        license(
            name = "Licence Ouverte 2.0",
            url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        ),
    ),
    paths(
        search,
        csv,
        atom,
        iati,
        partnership,
        csv_schema,
        themes,
        authorities,
        authority,
        partnership_synergies,
        authority_synergies,
        synergies,
        map,
        healthz,
        readyz,
        openapi,
        login,
        logout,
        me,
        tokens_list,
        tokens_create,
        tokens_revoke,
        admin_accounts,
        admin_account,
        admin_update,
        themes_list,
        theme_create,
        theme_entry,
        theme_update,
        theme_delete,
        forms_list,
        form_create,
        form_entry,
        form_update,
        form_delete,
        embassies,
        embassy,
        embassy_save,
        embassy_delete,
        create,
        save,
        patch,
        history,
        revision,
        restore,
        submit,
        dashboard,
        queue,
        decide,
        approve_many
    )
)]
pub struct ApiDoc;

/// What holds for every operation, written once here rather than on each: a refused token
/// (401) anywhere; where an account is needed, nobody signed in (401) or not allowed (403); a
/// write from another site (403); a body that cannot be read (422); a query parameter that
/// cannot be read (400). And the bounds and the words the parameters take, so that a client
/// (or schemathesis) knows what is accepted.
struct Completed;

impl utoipa::Modify for Completed {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                (false, item.get.as_mut()),
                (false, item.head.as_mut()),
                (true, item.post.as_mut()),
                (true, item.put.as_mut()),
                (true, item.patch.as_mut()),
                (true, item.delete.as_mut()),
            ];
            for (write, operation) in operations {
                if let Some(operation) = operation {
                    complete(path, write, operation);
                }
            }
        }
    }
}

fn json_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    utoipa::openapi::ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            utoipa::openapi::Content::new(None::<utoipa::openapi::RefOr<utoipa::openapi::Schema>>),
        )
        .build()
        .into()
}

fn complete(path: &str, write: bool, operation: &mut utoipa::openapi::path::Operation) {
    let public = matches!(path, "/api/v1/auth/login" | "/api/v1/auth/logout");
    let account = !public
        && (write
            || [
                "/api/v1/admin",
                "/api/v1/me",
                "/api/v1/moderation",
                "/api/v1/auth/me",
            ]
            .iter()
            .any(|p| path.starts_with(p)));
    let responses = &mut operation.responses.responses;
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| json_response(description));
    };
    add(
        "401",
        if account {
            "Nobody is signed in, or the `Authorization: Bearer` token is unknown, revoked or expired"
        } else {
            "The `Authorization: Bearer` token is unknown, revoked or expired (send none to read as anyone)"
        },
    );
    if account {
        add("403", "Not allowed for this account");
    }
    if write {
        add(
            "403",
            "A browser's request from another site (its `Origin`), or not allowed for this account",
        );
    }
    if path.contains('{') {
        add("404", "Nothing at this address that the account may see");
    }
    if let Some(body) = operation.request_body.as_mut() {
        // A JSON object, whatever its fields (the annotations say `String`: the fields are in
        // the description): `""` or `[]` is refused.
        for content in body.content.values_mut() {
            content.schema = Some(utoipa::openapi::ObjectBuilder::new().into());
        }
        add("422", "The body cannot be read (not JSON, malformed, a value of the wrong type): `{errors: {field: [messages]}}`, the field named as in the JSON, or `body`");
    }
    if operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
    {
        add(
            "400",
            "A query parameter that cannot be read: `fields` names it",
        );
    }
    for parameter in operation.parameters.iter_mut().flatten() {
        if let Some(utoipa::openapi::RefOr::T(schema)) = parameter.schema.as_mut() {
            bound(path, &parameter.name, schema);
        }
    }
}

/// The values a parameter takes, by its name (the search's filters, the pages).
fn bound(path: &str, name: &str, schema: &mut utoipa::openapi::Schema) {
    use app::models::*;
    use utoipa::openapi::schema::{ArrayItems, Schema};
    if let Schema::Array(array) = schema {
        if let ArrayItems::RefOrSchema(items) = &mut array.items {
            if let utoipa::openapi::RefOr::T(items) = items.as_mut() {
                bound(path, name, items);
            }
        }
        return;
    }
    let Schema::Object(object) = schema else {
        return;
    };
    let words = |codes: Vec<&str>| Some(codes.into_iter().map(Into::into).collect());
    match name {
        // The authorities' name search: two letters or digits at least, in any script (the
        // name is transliterated before it is compared).
        "q" if path == "/api/v1/authorities" => object.pattern = Some(r"[^\W_].*[^\W_]".into()),
        "state" if path == "/api/v1/moderation/queue" => {
            object.enum_values = words(PublicationState::ALL.iter().map(|s| s.code()).collect())
        }
        "q" => object.max_length = Some(MAX_QUERY_LEN),
        "start_year_min" | "start_year_max" | "agreement_year_min" | "agreement_year_max" => {
            object.minimum = Some(1900.into());
            object.maximum = Some(2100.into());
        }
        "page" => {
            object.minimum = Some(1.into());
            object.maximum = Some(100_000.into());
        }
        "per_page" => {
            object.minimum = Some(1.into());
            object.maximum = Some(i64::from(MAX_PER_PAGE).into());
        }
        "foreign_partner" | "id" | "n" => object.minimum = Some(1.into()),
        "country" => object.pattern = Some("^[A-Za-z]{2}$".into()),
        "zone" => object.enum_values = words(WorldZone::ALL.iter().map(|z| z.code()).collect()),
        "status" => object.enum_values = words(Status::ALL.iter().map(|s| s.code()).collect()),
        "authority_kind" => {
            object.enum_values = words(CollectivityKind::ALL.iter().map(|k| k.code()).collect())
        }
        "funder" => object.enum_values = words(FunderKind::ALL.iter().map(|f| f.code()).collect()),
        "amount" => object.enum_values = words(AmountBand::ALL.iter().map(|a| a.code()).collect()),
        "sort" => object.enum_values = words(Sort::ALL.iter().map(|s| s.code()).collect()),
        "volunteers" => object.enum_values = words(vec!["yes", "no"]),
        "theme" | "form"
            if path.starts_with("/api/v1/partnerships") || path.starts_with("/carte") =>
        {
            object.pattern = Some("^[A-Za-z0-9._]{1,40}$".into())
        }
        "region" | "departement" => object.pattern = Some("^[A-Za-z0-9]{1,3}$".into()),
        _ => {}
    }
}

pub async fn document() -> Response {
    super::cross_origin(axum::Json(ApiDoc::openapi()).into_response())
}
