//! The first-run path of the README: create a plan with a persona and a campaign, list it.

use serde_json::json;

use crate::support::{TestApp, create_campaign, create_persona, create_plan};

#[tokio::test]
async fn a_new_user_builds_a_plan_and_sees_it() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let persona = create_persona(&app, &token, "Sophie").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    create_campaign(&app, &token, &plan, "Spring", &[&persona]).await;
    let data = app
        .data(&token, "{ plans { totalCount nodes { name campaigns { nodes { name personas { name } } } } } }", json!({}))
        .await;
    assert_eq!(data["plans"]["totalCount"], 1);
    assert_eq!(
        data["plans"]["nodes"][0]["campaigns"]["nodes"][0]["personas"][0]["name"],
        "Sophie"
    );
}
