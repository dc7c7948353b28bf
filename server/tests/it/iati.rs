//! The IATI export, validated by `xmllint` against the official 2.03 schema (a copy lives in
//! `tests/iati-schema/`, so the test needs nothing outside the repository but `xmllint`, from
//! the Debian package `libxml2-utils`).

use crate::common;

use app::models::Partnership;
use app::server::export::iati::{activity_identifier, IatiWriter};
use app::server::legacy_import::import_files;
use app::server::services::{demo, partnerships::get_published};
use chrono::{DateTime, Timelike, Utc};
use common::{fixture, TestDb};
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE_URL: &str = "https://atlas.example.org/";

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/iati-schema/iati-activities-schema.xsd")
}

/// The export written to a file that is removed when dropped.
struct XmlFile(PathBuf);

impl XmlFile {
    fn new(xml: &[u8]) -> XmlFile {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("atlas-iati-{}-{nanos}.xml", std::process::id()));
        std::fs::write(&path, xml).expect("write the export to a temporary file");
        XmlFile(path)
    }
}

impl Drop for XmlFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

fn xmllint(args: &[&str], file: &Path) -> std::process::Output {
    Command::new("xmllint")
        .args(args)
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)")
}

fn assert_valid(file: &XmlFile) {
    let schema = schema();
    let out = xmllint(
        &[
            "--noout",
            "--nonet",
            "--schema",
            schema.to_str().expect("UTF-8 path"),
        ],
        &file.0,
    );
    assert!(
        out.status.success(),
        "the export does not validate against the IATI 2.03 schema:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The string value of an XPath expression over the file.
fn xpath(file: &XmlFile, expr: &str) -> String {
    let out = xmllint(&["--xpath", expr], &file.0);
    assert!(
        out.status.success(),
        "xpath {expr} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn export(partnerships: &[Partnership], generated: DateTime<Utc>) -> Vec<u8> {
    let last_change = partnerships
        .iter()
        .map(|p| p.updated_at)
        .max()
        .unwrap_or(generated);
    let mut writer = IatiWriter::start(Vec::new(), generated, last_change, BASE_URL).unwrap();
    for p in partnerships {
        writer.activity(p).unwrap();
    }
    writer.finish().unwrap()
}

#[tokio::test]
async fn the_export_validates_and_carries_the_seed_page() {
    let t = TestDb::new().await;
    let outcomes = import_files(
        &t.db,
        &[
            fixture("000_001612c233d2473f.txt"),
            fixture("100_multi_partenaires.txt"),
            fixture("101_volontaires.txt"),
        ],
    )
    .await
    .unwrap();
    let mut ids: Vec<i32> = outcomes
        .iter()
        .map(|o| o.as_ref().expect("fixture imports").id)
        .collect();
    let (seed, multi) = (ids[0], ids[1]);
    ids.extend(demo::seed(&t.db, 50, 3, |_| {}).await.unwrap());
    let mut partnerships = Vec::new();
    for id in &ids {
        partnerships.push(get_published(&t.db, *id).await.unwrap());
    }

    let generated = Utc::now().with_nanosecond(0).unwrap();
    let xml = export(&partnerships, generated);
    let text = String::from_utf8(xml.clone()).expect("UTF-8");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--"));
    assert!(text.contains("Licence Ouverte 2.0"));
    assert!(text.contains("https://www.etalab.gouv.fr/licence-ouverte-open-licence/"));
    let file = XmlFile::new(&xml);
    assert_valid(&file);

    assert_eq!(xpath(&file, "count(/iati-activities/iati-activity)"), "53");
    assert_eq!(
        xpath(&file, "string(/iati-activities/@generated-datetime)"),
        generated.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    let a = format!(
        "/iati-activities/iati-activity[iati-identifier='{}']",
        activity_identifier(seed)
    );
    assert_eq!(
        xpath(&file, &format!("string({a}/reporting-org/@ref)")),
        "XI-ATLAS-FR"
    );
    assert_eq!(
        xpath(&file, &format!("string({a}/title/narrative[@xml:lang='fr'])")),
        "Accompagnement à la structuration d’un dispositif social de proximité porteur d’un programme territorial d’action sociale"
    );
    assert_eq!(
        xpath(&file, &format!("string({a}/activity-status/@code)")),
        "2"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/activity-date[@type='2']/@iso-date)")
        ),
        "2019-01-01"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/activity-date[@type='3']/@iso-date)")
        ),
        "2021-12-31"
    );
    assert_eq!(xpath(&file, &format!("count({a}/recipient-country)")), "1");
    assert_eq!(
        xpath(&file, &format!("string({a}/recipient-country/@code)")),
        "MA"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/participating-org[@role='1'][1]/narrative)")
        ),
        "Mantes la Jolie"
    );
    // The French authority's organisation identifier: INSEE's register, its SIREN.
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/participating-org[@role='1'][1]/@ref)")
        ),
        "FR-INSEE-217803618"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/participating-org[@role='4']/narrative)")
        ),
        "Municipalité de Rabat"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/sector[@vocabulary='99']/@code)")
        ),
        "POL.GOV"
    );
    assert_eq!(
        xpath(&file, &format!("string({a}/sector/@vocabulary-uri)")),
        "https://atlas.example.org/api/v1/themes"
    );
    assert_eq!(xpath(&file, &format!("count({a}/transaction)")), "9");
    assert_eq!(
        xpath(&file, &format!("sum({a}/transaction/value)")),
        "113850"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("count({a}/transaction[transaction-type/@code='11'][provider-org/narrative='Mantes la Jolie'][transaction-date/@iso-date='2019-01-01'][value='10000'])")
        ),
        "1"
    );
    assert_eq!(xpath(&file, &format!("sum({a}/budget/value)")), "113850");
    assert_eq!(
        xpath(
            &file,
            &format!("count({a}/budget[period-start/@iso-date='2019-01-01'][period-end/@iso-date='2019-12-31'])")
        ),
        "1"
    );

    let m = format!(
        "/iati-activities/iati-activity[iati-identifier='{}']",
        activity_identifier(multi)
    );
    assert_eq!(xpath(&file, &format!("count({m}/recipient-country)")), "2");
    assert_eq!(
        xpath(&file, &format!("sum({m}/recipient-country/@percentage)")),
        "100"
    );
    t.drop().await;
}

#[tokio::test]
async fn awkward_text_and_missing_fields_still_validate() {
    let t = TestDb::new().await;
    let outcomes = import_files(&t.db, &[fixture("000_001612c233d2473f.txt")])
        .await
        .unwrap();
    let id = outcomes[0].as_ref().expect("seed imports").id;
    let seed = get_published(&t.db, id).await.unwrap();

    let mut awkward = seed.clone();
    awkward.title = "Eau & assainissement <Podor> \"phase 2\" l'été\u{1}".into();
    awkward.fundings[0].funder = "Agence <de l'eau> & \"Seine\"".into();
    awkward.fundings[0].year = None;

    let mut bare = seed.clone();
    bare.id = id + 1000;
    bare.status = None;
    bare.start_year = None;
    bare.first_agreement_year = None;
    bare.end_date = None;
    bare.theme = None;
    bare.other_themes.clear();
    bare.description = None;
    bare.objectives_local = None;
    bare.beneficiaries = None;
    bare.context = None;
    bare.french_partners.clear();
    bare.foreign_partners.clear();
    bare.fundings.clear();

    let file = XmlFile::new(&export(&[awkward, bare], Utc::now()));
    assert_valid(&file);

    let a = format!(
        "/iati-activities/iati-activity[iati-identifier='{}']",
        activity_identifier(id)
    );
    assert_eq!(
        xpath(&file, &format!("string({a}/title/narrative)")),
        "Eau & assainissement <Podor> \"phase 2\" l'été"
    );
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/transaction[1]/provider-org/narrative)")
        ),
        "Agence <de l'eau> & \"Seine\""
    );
    // A funding without a year is dated at the start of the activity and has no budget.
    assert_eq!(
        xpath(
            &file,
            &format!("string({a}/transaction[1]/transaction-date/@iso-date)")
        ),
        "2019-01-01"
    );
    assert_eq!(xpath(&file, &format!("count({a}/budget)")), "3");
    assert_eq!(xpath(&file, &format!("sum({a}/budget/value)")), "107250");

    let b = format!(
        "/iati-activities/iati-activity[iati-identifier='{}']",
        activity_identifier(id + 1000)
    );
    assert_eq!(
        xpath(&file, &format!("string({b}/activity-status/@code)")),
        "2"
    );
    assert_eq!(xpath(&file, &format!("count({b}/activity-date)")), "1");
    assert_eq!(xpath(&file, &format!("count({b}/budget)")), "0");
    t.drop().await;
}
