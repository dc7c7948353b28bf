//! Accounts: created with their authority or country, every field checked with a message that
//! names it, the password kept only as an argon2id hash.

use crate::common;

use app::error::AppError;
use app::models::Role;
use app::server::services::users::{self, NewUser};
use common::TestDb;

fn staff(email: &str, authority: &str) -> NewUser {
    NewUser {
        email: email.into(),
        role: Some(Role::Staff),
        function: Some("Chargée de mission coopération".into()),
        authority: Some(authority.into()),
        country: None,
        password: "un mot de passe assez long".into(),
    }
}

fn fields(result: Result<i32, AppError>) -> Vec<(String, String)> {
    match result {
        Err(AppError::Invalid { fields }) => {
            fields.into_iter().map(|f| (f.field, f.message)).collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn accounts_are_created_with_their_authority_and_a_hashed_password() {
    let t = TestDb::new().await;
    let id = users::create(&t.db, staff("Agent@Chambery.fr", "commune-73065"))
        .await
        .unwrap();
    let by_siren = users::create(&t.db, staff("agglo@grandchambery.fr", "200069110"))
        .await
        .unwrap();
    assert_ne!(id, by_siren);
    let stored = common::sql_strings(
        &t.db,
        &format!("SELECT password_hash FROM app_user WHERE id = {id}"),
    )
    .await;
    assert!(stored[0].starts_with("$argon2id$"), "{}", stored[0]);
    assert!(!stored[0].contains("assez long"));
    let linked = common::sql_strings(
        &t.db,
        &format!(
            "SELECT c.code FROM user_authority ua JOIN collectivity c ON c.id = ua.collectivity_id WHERE ua.user_id = {id}"
        ),
    )
    .await;
    assert_eq!(linked, ["73065"]);

    // The email is compared without case; a wrong password and an unknown email look alike.
    let user = users::check_password(&t.db, "agent@chambery.fr", "un mot de passe assez long")
        .await
        .unwrap()
        .expect("the right password opens the account");
    assert_eq!(user.id, id);
    assert!(
        users::check_password(&t.db, "agent@chambery.fr", "un autre mot de passe")
            .await
            .unwrap()
            .is_none()
    );
    assert!(users::check_password(&t.db, "personne@nulle-part.fr", "x")
        .await
        .unwrap()
        .is_none());

    let moderator = NewUser {
        email: "coopdec@ambafrance-bf.org".into(),
        role: Some(Role::Moderator),
        country: Some("bf".into()),
        password: "un mot de passe assez long".into(),
        ..NewUser::default()
    };
    let embassy = users::create(&t.db, moderator).await.unwrap();
    let countries = common::sql_strings(
        &t.db,
        &format!("SELECT country_iso2 FROM user_country WHERE user_id = {embassy}"),
    )
    .await;
    assert_eq!(countries, ["BF"]);
    t.drop().await;
}

#[tokio::test]
async fn bad_accounts_are_refused_field_by_field_in_french() {
    let t = TestDb::new().await;
    users::create(&t.db, staff("agent@chambery.fr", "73065"))
        .await
        .unwrap();
    let again = fields(users::create(&t.db, staff("AGENT@chambery.fr", "73065")).await);
    assert_eq!(again[0].0, "email");
    assert!(again[0].1.contains("existe déjà"), "{again:?}");

    let shared = fields(users::create(&t.db, staff("dep@paris.fr", "75")).await);
    assert_eq!(shared[0].0, "authority");
    assert!(
        shared[0].1.contains("departement-75") && shared[0].1.contains("region-75"),
        "the candidates are named: {shared:?}"
    );

    let everything_wrong = fields(
        users::create(
            &t.db,
            NewUser {
                email: "pas une adresse".into(),
                role: Some(Role::Staff),
                country: Some("ZZ".into()),
                password: "court".into(),
                ..NewUser::default()
            },
        )
        .await,
    );
    let named: Vec<&str> = everything_wrong.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        named,
        ["email", "password", "authority", "country", "country"]
    );
    assert!(everything_wrong[1].1.contains("12 caractères"));
    let nothing = common::sql_strings(
        &t.db,
        "SELECT CAST(COUNT(*) AS VARCHAR(20)) FROM app_user WHERE email <> 'agent@chambery.fr'",
    )
    .await;
    assert_eq!(nothing, ["0"], "nothing is written when a field is wrong");
    t.drop().await;
}
