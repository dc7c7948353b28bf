//! The demo data set.

use crate::common;

use app::server::entities::partnership;
use app::server::services::{demo, partnerships::get_published};
use common::TestDb;
use sea_orm::{EntityTrait, QueryOrder};

#[tokio::test]
async fn demo_data_is_realistic_and_deterministic() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let ids = demo::seed(&a.db, 300, 7, |_| {}).await.unwrap();
    demo::seed(&b.db, 300, 7, |_| {}).await.unwrap();
    assert_eq!(ids.len(), 300);
    let titles =
        |rows: Vec<partnership::Model>| rows.into_iter().map(|p| p.title).collect::<Vec<_>>();
    let ta = titles(
        partnership::Entity::find()
            .order_by_asc(partnership::Column::Id)
            .all(&a.db)
            .await
            .unwrap(),
    );
    let tb = titles(
        partnership::Entity::find()
            .order_by_asc(partnership::Column::Id)
            .all(&b.db)
            .await
            .unwrap(),
    );
    assert_eq!(ta, tb);
    assert!(ta.iter().collect::<std::collections::HashSet<_>>().len() > 50);

    let p = get_published(&a.db, ids[0]).await.unwrap();
    assert!(!p.foreign_partners.is_empty());
    assert!(p.foreign_partners.iter().all(|f| f.country.is_some()));
    assert!(!p.french_partners.is_empty() && p.french_partners[0].code.is_some());
    assert!(!p.fundings.is_empty());
    assert!(p.theme.is_some() && p.labels.theme.is_some());
    a.drop().await;
    b.drop().await;
}
