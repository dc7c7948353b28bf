//! "Qui d'autre ?" on constructed data whose order is known: partnerships written through the
//! write service, then the partnership's panel, the authority's page and the `/synergies` page
//! as a reader gets them, on both databases.

use crate::common::{self, TestDb};
use app::models::{EmbassyChange, EmbassyContact, EmbassyRole, PublicationState, Role, Status};
use app::server::auth::Account;
use app::server::entities::collectivity;
use app::server::services::authorities::identity;
use app::server::services::partnerships::{
    foreign_authority_id, insert_many, Author, PartnershipInput,
};
use app::server::services::{reference_lists, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use server::router;

/// The identities (`commune-…`) of the authority links in order, within the part of `html` that
/// starts at `from` and ends at the next `</section>`.
fn peers_in(html: &str, from: &str) -> Vec<String> {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("{from} in the page:\n{html}"));
    let part = &html[start..];
    let part = &part[..part.find("</section>").unwrap_or(part.len())];
    part.split("<a href=\"/collectivites/")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find('"')?;
            rest[end..]
                .starts_with("\" class=\"peer\">")
                .then(|| rest[..end].to_string())
        })
        .collect()
}

#[tokio::test]
async fn who_else_works_there_comes_closest_first() {
    use Status::*;
    let t = TestDb::new().await;
    let communes: Vec<collectivity::Model> = collectivity::Entity::find()
        .filter(collectivity::Column::Kind.eq("commune"))
        .order_by_asc(collectivity::Column::Code)
        .limit(8)
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(communes.len(), 8);
    let ids: Vec<String> = communes
        .iter()
        .map(|c| identity(c).unwrap().to_string())
        .collect();
    let [a, b, c, d, e, f, g, h] = std::array::from_fn(|i| (communes[i].id, ids[i].clone()));

    let partner = |name: &'static str, country: &'static str| {
        let db = t.db.clone();
        async move {
            foreign_authority_id(&db, name, Some(country), None)
                .await
                .unwrap()
        }
    };
    let segou = partner("Ségou", "ML").await;
    let kayes = partner("Kayes", "ML").await;
    let mopti = partner("Mopti", "ML").await;
    let gao = partner("Gao", "ML").await;
    let sikasso = partner("Sikasso", "ML").await;
    let thies = partner("Thiès", "SN").await;
    let input =
        |title: &str, french: &[&(i32, String)], foreign: i32, theme: &str, status: Status| {
            PartnershipInput {
                title: title.to_string(),
                start_year: Some(2018),
                status: Some(status),
                theme_code: Some(theme.to_string()),
                publication_state: Some(PublicationState::Published),
                foreign_authority_ids: vec![foreign],
                french_partners: french
                    .iter()
                    .map(|(id, _)| (Some(*id), format!("Commune {id}")))
                    .collect(),
                ..PartnershipInput::default()
            }
        };
    let inputs = vec![
        // The reference: a's drinking water with Ségou.
        input("Eau potable à Ségou", &[&a], segou, "DUR.EAU.POT", Ongoing),
        // The same partner, a theme in common only at the top of the tree.
        input("Forêts de Ségou", &[&b], segou, "DUR.ENV", Completed),
        input("Eau potable à Kayes", &[&c], kayes, "DUR.EAU.POT", Ongoing),
        input(
            "Assainissement à Mopti",
            &[&d],
            mopti,
            "DUR.EAU.ASS",
            Ongoing,
        ),
        input("Puits de Gao", &[&e], gao, "DUR.EAU.POT", Completed),
        // An unrelated theme; another country; the reference's own authority with another.
        input("État civil à Ségou", &[&f], segou, "POL.GOV.ETC", Ongoing),
        input("Eau potable à Thiès", &[&g], thies, "DUR.EAU.POT", Ongoing),
        input(
            "Solaire à Sikasso",
            &[&a, &h],
            sikasso,
            "DUR.CLI.ENR",
            Ongoing,
        ),
        input("Climat à Kayes", &[&c], kayes, "DUR.CLI", Completed),
    ];
    let txn = app::server::services::write(&t.db).await.unwrap();
    let written = insert_many(&txn, &inputs, Author::default()).await.unwrap();
    txn.commit().await.unwrap();
    // The embassy in Mali, whose agents the pages name and the API does not.
    let admin = users::create(
        &t.db,
        users::NewUser {
            email: "admin@atlas.fr".into(),
            role: Some(Role::Admin),
            function: None,
            authority: None,
            country: None,
            password: "un mot de passe assez long".into(),
        },
    )
    .await
    .unwrap();
    let admin = Account::load(&t.db, admin).await.unwrap().unwrap();
    let contact = EmbassyContact {
        role: EmbassyRole::DecentralisedCooperationCorrespondent,
        name: "Awa Diallo".into(),
        email: Some("awa.diallo@diplomatie.gouv.fr".into()),
    };
    let change = EmbassyChange {
        name: "Ambassade de France à Bamako".into(),
        contacts: vec![contact],
        ..EmbassyChange::default()
    };
    reference_lists::save_embassy(&t.db, Some(&admin), "ML", &change)
        .await
        .unwrap();
    let app = router(common::state(&t.db).await);

    // The partnership's panel: same partner first, then the deepest theme shared, then
    // ongoing before completed; f (unrelated theme), g (Senegal) and a itself are not there.
    let (status, _, html) = common::get(&app, &format!("/partenariats/{}", written[0])).await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(html.contains("Qui d&#x27;autre ?") || html.contains("Qui d'autre ?"));
    assert_eq!(
        peers_in(&html, "id=\"qui-d-autre\""),
        [&b.1, &c.1, &e.1, &d.1, &h.1].map(String::clone),
        "the panel's order"
    );
    assert!(html.contains("même partenaire · même grande thématique · terminé"));
    assert!(html.contains("même pays · même sous-thématique · en cours"));
    assert!(
        html.contains("Awa Diallo"),
        "the embassy's agent named to readers"
    );

    // The same panel for programs, without the agent's name or email.
    let (status, headers, body) = common::get(
        &app,
        &format!("/api/v1/partnerships/{}/synergies", written[0]),
    )
    .await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mali = &json["countries"][0];
    assert_eq!(mali["country"], "ML");
    assert_eq!(mali["total"], 5);
    let order: Vec<&str> = mali["peers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [&b.1, &c.1, &e.1, &d.1, &h.1], "the API's order");
    assert_eq!(
        mali["peers"][0]["closeness"],
        serde_json::json!({"same_partner": true, "theme_level": 1, "activity": "completed"})
    );
    let c_listed: Vec<&str> = mali["peers"][1]["partnerships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["item"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        c_listed,
        ["Eau potable à Kayes", "Climat à Kayes"],
        "closest first"
    );
    assert_eq!(mali["embassy"]["post"], "Ambassade de France à Bamako");
    assert_eq!(
        mali["embassy"]["contacts"][0]["role"],
        "coopdec_correspondent"
    );
    assert!(
        !body.contains("Diallo") && !body.contains('@'),
        "personal data in the API: {body}"
    );
    let (status, _, _) = common::get(&app, "/api/v1/partnerships/999999/synergies").await;
    assert_eq!(status, http::StatusCode::NOT_FOUND);

    // In English.
    let request = http::Request::get(format!("/partenariats/{}", written[0]))
        .header("accept-language", "en")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, bytes) = common::send(&app, request).await;
    let english = String::from_utf8_lossy(&bytes);
    assert!(english.contains("Who else?"), "{english}");
    assert!(english.contains("same country · same sub-theme · ongoing"));

    // The authority's page: a works in Mali only; h shares the solar partnership with a, so
    // it is a's own work there, not a peer.
    let (status, _, html) = common::get(&app, &format!("/collectivites/{}", a.1)).await;
    assert_eq!(status, http::StatusCode::OK);
    let peers = peers_in(&html, "id=\"qui-d-autre\"");
    assert_eq!(peers[0], b.1, "the same partner first: {peers:?}");
    assert!(!peers.contains(&h.1) && !peers.contains(&a.1) && !peers.contains(&g.1));
    assert!(peers.contains(&c.1) && !peers.contains(&f.1));

    // The /synergies page: who works on water in Mali, most ongoing partnerships first.
    let (status, _, html) = common::get(&app, "/synergies?country=ML&theme=DUR.EAU").await;
    assert_eq!(status, http::StatusCode::OK);
    let peers = peers_in(&html, "id=\"collectivites-synergies\"");
    assert_eq!(peers.len(), 4, "{peers:?}");
    assert_eq!(peers[3], e.1, "the one without an ongoing partnership last");
    for ongoing in [&a.1, &c.1, &d.1] {
        assert!(peers[..3].contains(ongoing), "{peers:?}");
    }
    assert!(
        html.contains("departements.svg?country=ML&amp;theme=DUR.EAU")
            || html.contains("departements.svg?country=ML&theme=DUR.EAU"),
        "the map of France follows the selection"
    );

    // The authority's and the selection's twins in the API.
    let json = common::json(&app, &format!("/api/v1/authorities/{}/synergies", a.1)).await;
    assert_eq!(json["countries"][0]["peers"][0]["id"], b.1.as_str());
    let json = common::json(&app, "/api/v1/synergies?country=ML&theme=DUR.EAU").await;
    assert_eq!(json["total"], 4);
    assert_eq!(json["peers"][3]["id"], e.1.as_str());
    assert!(json["embassy"]["contacts"][0].get("name").is_none());
    let (status, _, body) = common::get(&app, "/api/v1/synergies?pays=ML").await;
    assert_eq!(status, http::StatusCode::BAD_REQUEST);
    assert!(body.contains("pays"), "the unknown parameter named: {body}");

    // The embed of a's partnerships; a code two authorities share leads to each one's embed,
    // in a page that may be framed too.
    let (status, headers, html) = common::get(&app, &format!("/embed/collectivites/{}", a.1)).await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(html.contains("Eau potable à Ségou") && !html.contains("<script"));
    assert!(!headers.contains_key("x-frame-options"));
    let (status, headers, html) = common::get(&app, "/embed/collectivites/75?lang=en").await;
    assert_eq!(status, http::StatusCode::MULTIPLE_CHOICES, "{html}");
    for identity in ["departement-75", "region-75"] {
        assert!(
            html.contains(&format!("href=\"/embed/collectivites/{identity}?lang=en\"")),
            "{identity} in {html}"
        );
    }
    assert!(html.contains("lang=\"en\"") && !html.contains("<script"));
    assert!(!headers.contains_key("x-frame-options"));
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors *"));
    t.drop().await;
}
