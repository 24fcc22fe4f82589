//! `jixiao report` in a real browser: the seed case, the seed under a 主管部门 beside a copy
//! under another, and a small generated batch are rendered, opened in headless Chromium, and
//! checked for console errors, charts of non-zero size with the expected number of bars, the
//! ranking and a unit's findings in the DOM. A screenshot of each is kept under
//! `target/tmp/report-browser/` for a person to look at. Without chromium the test is
//! skipped, except under CI, where it must run.

use crate::common;

use common::{ROOT, jixiao, text};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Bars of the four overview charts: score bins, rate bins, categories, severities.
const OVERVIEW_BARS: [usize; 4] = [10, 11, 13, 3];

/// Appended to a copy of the page (never to the report itself): opens every collapsed
/// section, then lists every chart's
/// caption, drawn size, bar count (by the bar colours) and stated count, and any script
/// error, in a `<pre id="jx-check">` that the dumped DOM carries back.
const CHECKER: &str = r##"<script>
window.addEventListener('error', function (e) { document.body.setAttribute('data-js-error', String(e.message)); });
(function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var out = [];
  document.querySelectorAll('figure.chart').forEach(function (f) {
    var svg = f.querySelector('svg');
    var r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    var bars = f.querySelectorAll('rect[fill="#3A6EA5"], rect[fill="#E08E2B"]').length;
    out.push([f.querySelector('figcaption').textContent, Math.round(r.width), Math.round(r.height), bars, Number(f.dataset.bars)]);
  });
  var pre = document.createElement('pre');
  pre.id = 'jx-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"##;

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn chromium(profile: &Path, args: &[&str]) -> (String, String) {
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--timeout=30000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    (text(&output.stdout), text(&output.stderr))
}

/// What the checker wrote: (caption, width, height, bars drawn, bars stated) per chart.
type ChartCheck = (String, f64, f64, usize, usize);

/// Renders `paths` (and options) into NAME.html, opens it, and returns the dumped DOM and
/// chart checks.
fn open_report(name: &str, paths: &[&str]) -> (String, Vec<ChartCheck>) {
    let dir = out_dir();
    let page = dir.join(format!("{name}.html"));
    let mut args = vec!["report"];
    args.extend(paths);
    args.extend(["--out", page.to_str().unwrap()]);
    let run = jixiao(&args);
    assert!(run.status.success(), "report failed: {}", text(&run.stderr));
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        !["<script", "src=", "href=\"http", "@import", "url("]
            .iter()
            .any(|external| html.contains(external)),
        "the report must be self-contained and script-free"
    );
    let checked = dir.join(format!("{name}.checked.html"));
    fs::write(
        &checked,
        html.replace("</body>", &format!("{CHECKER}</body>")),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", checked.display());
    let (dom, log) = chromium(profile.path(), &["--dump-dom", &url]);
    for line in log.lines() {
        assert!(
            !(line.contains(":CONSOLE") || line.contains("Uncaught")),
            "{name}: console message: {line}"
        );
    }
    assert!(!dom.contains("data-js-error=\""), "{name}: a script error");
    let shot = dir.join(format!("{name}.png"));
    let page_url = format!("file://{}", page.display());
    chromium(
        profile.path(),
        &[
            "--window-size=1280,2400",
            &format!("--screenshot={}", shot.display()),
            &page_url,
        ],
    );
    assert!(shot.is_file(), "{name}: no screenshot");
    let report = dom
        .split_once("<pre id=\"jx-check\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(json, _)| {
            json.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("{name}: the checker did not run; DOM: {dom:.2000}"));
    let charts: Vec<ChartCheck> = serde_json::from_str(&report).unwrap();
    for (caption, width, height, drawn, stated) in &charts {
        assert!(
            *width > 0.0 && *height > 0.0,
            "{name}: {caption} has no size"
        );
        assert_eq!(drawn, stated, "{name}: {caption} bars");
    }
    (dom, charts)
}

fn bars(charts: &[ChartCheck]) -> Vec<usize> {
    charts.iter().map(|c| c.3).collect()
}

/// Whether to run: chromium is there, or CI says it must be.
fn browser_available() -> bool {
    if Path::new(CHROMIUM).is_file() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {CHROMIUM} is missing: .ci/run installs it (apt-get install chromium fonts-noto-cjk)"
    );
    eprintln!(
        "SKIPPED: the browser test needs {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    );
    false
}

#[test]
fn the_seed_report_opens_with_its_charts_ranking_and_findings() {
    if !browser_available() {
        return;
    }
    let (dom, charts) = open_report("seed", &["cases/lukou-hrss-2023"]);
    // The overview's four charts, then the unit's 21 projects in pairs.
    let mut expected = OVERVIEW_BARS.to_vec();
    expected.push(42);
    assert_eq!(bars(&charts), expected);
    assert!(dom.contains("id=\"ranking\""));
    assert!(dom.contains("href=\"#u1\""));
    assert!(dom.contains("id=\"u1\""));
    assert!(dom.contains("株洲市渌口区人力资源和社会保障局"));
    assert!(dom.contains("<h4>问题清单</h4>"));
    assert!(dom.contains("数据系统维护费"));
}

#[test]
fn a_generated_batch_and_departments_open_with_every_chart() {
    if !browser_available() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let batch = generate(scratch.path(), 12);
    let (dom, charts) = open_report("generated", &[batch.to_str().unwrap()]);
    let mut expected = OVERVIEW_BARS.to_vec();
    expected.extend([8; 12]);
    assert_eq!(bars(&charts), expected);
    assert_eq!(dom.matches("<details class=\"unit\"").count(), 12);

    // Two units under two 主管部门: the overview, then each department's four charts.
    let seed = fs::read_to_string(Path::new(ROOT).join("cases/lukou-hrss-2023/unit.toml")).unwrap();
    let departments = scratch.path().join("departments");
    fs::create_dir_all(&departments).unwrap();
    for (file, code, department) in [
        ("a.toml", "430212-RSJ", "株洲市人民政府"),
        ("b.toml", "430212-RSJ-B", "渌口区人民政府"),
    ] {
        let unit = seed
            .replacen(
                "[unit]\n",
                &format!("[unit]\ndepartment = \"{department}\"\n"),
                1,
            )
            .replacen("code = \"430212-RSJ\"", &format!("code = \"{code}\""), 1);
        assert!(unit.contains(department) && unit.contains(code));
        fs::write(departments.join(file), unit).unwrap();
    }
    let (dom, charts) = open_report("departments", &[departments.to_str().unwrap()]);
    assert!(
        dom.contains("按主管部门")
            && dom.contains("株洲市人民政府")
            && dom.contains("渌口区人民政府")
    );
    let mut expected = [OVERVIEW_BARS; 3].concat();
    expected.extend([42, 42]);
    assert_eq!(bars(&charts), expected);
}

/// A batch larger than `--details`: the overview whole, sections only for the lowest-ranked
/// units, collapsed, and the note saying how to get the others.
#[test]
fn a_limited_report_opens_with_its_sections_collapsed() {
    if !browser_available() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let batch = generate(scratch.path(), 12);
    let (dom, charts) = open_report("limited", &[batch.to_str().unwrap(), "--details", "3"]);
    let mut expected = OVERVIEW_BARS.to_vec();
    expected.extend([8; 3]);
    assert_eq!(bars(&charts), expected);
    assert!(dom.contains("id=\"left-out\"") && dom.contains("--unit 单位代码"));
    let html = fs::read_to_string(out_dir().join("limited.html")).unwrap();
    assert_eq!(html.matches("<details class=\"unit\"").count(), 3);
    assert!(
        !html.contains(" open>"),
        "sections of a limited report start collapsed"
    );
}

/// Writes `gen --units N --projects 4` under `dir`; the batch's folder.
fn generate(dir: &Path, units: usize) -> PathBuf {
    let batch = dir.join("batch");
    let generated = jixiao(&[
        "gen",
        "--units",
        &units.to_string(),
        "--projects",
        "4",
        "--out",
        batch.to_str().unwrap(),
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    batch
}

/// The ranking's rows of a written page: (unit code, the id its name links to, if any).
fn ranking_rows(html: &str) -> Vec<(String, Option<String>)> {
    let ranking = html
        .split_once("<section id=\"ranking\">")
        .and_then(|(_, rest)| rest.split_once("</section>"))
        .map(|(ranking, _)| ranking)
        .expect("a ranking");
    ranking
        .split("<tr><td class=\"num\">")
        .skip(1)
        .map(|row| {
            let anchor = row
                .split_once("<a href=\"#")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(id, _)| id.to_string());
            let code = row
                .split_once('（')
                .and_then(|(_, rest)| rest.split_once('）'))
                .map(|(code, _)| code.to_string())
                .expect("a unit code in every row");
            (code, anchor)
        })
        .collect()
}

/// Without a browser: every ranked unit is reachable — it links to its section, which the
/// page has, in ranking order, or the page says how to get it; `--unit` adds a section, and
/// an unknown code is an error.
#[test]
fn every_ranked_unit_has_its_section_or_the_pointer_to_it() {
    let scratch = tempfile::tempdir().unwrap();
    let batch = generate(scratch.path(), 30);
    let page = scratch.path().join("报告.html");
    let report = |extra: &[&str]| {
        let mut args = vec![
            "report",
            batch.to_str().unwrap(),
            "--out",
            page.to_str().unwrap(),
        ];
        args.extend(extra);
        let run = jixiao(&args);
        (run, fs::read_to_string(&page).unwrap_or_default())
    };
    let (run, html) = report(&[]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let all = ranking_rows(&html);
    assert_eq!(all.len(), 30);
    assert!(all.iter().all(|(_, anchor)| anchor.is_some()));
    assert!(!html.contains("id=\"left-out\""));

    let top = all[0].0.clone();
    let (run, html) = report(&["--details", "5", "--unit", &top]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let rows = ranking_rows(&html);
    let codes = |rows: &[(String, Option<String>)]| -> Vec<String> {
        rows.iter().map(|(code, _)| code.clone()).collect()
    };
    assert_eq!(codes(&rows), codes(&all), "the ranking stays whole");
    let linked: Vec<&(String, Option<String>)> =
        rows.iter().filter(|(_, anchor)| anchor.is_some()).collect();
    let mut expected = vec![&rows[0]];
    expected.extend(&rows[25..]);
    assert_eq!(linked, expected, "the lowest five and the unit asked for");
    // Each linked section is there once, in ranking order.
    let mut at = 0;
    for (code, anchor) in linked {
        let id = format!(
            "<details class=\"unit\" id=\"{}\">",
            anchor.as_ref().unwrap()
        );
        assert_eq!(html.matches(&id).count(), 1, "{code}");
        let found = html.find(&id).unwrap();
        assert!(found > at, "{code} out of ranking order");
        assert!(html[found..].contains(&format!("（{code}）")));
        at = found;
    }
    assert_eq!(html.matches("<details class=\"unit\"").count(), 6);
    assert!(html.contains("id=\"left-out\"") && html.contains("--unit 单位代码"));

    let (run, _) = report(&["--details", "0", "--unit", "NO-SUCH-UNIT"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("--unit NO-SUCH-UNIT"),
        "{}",
        text(&run.stderr)
    );
}

/// Without a browser: a unit that cannot be read is reported (exit 2) and the others still
/// make the report, and the page names the fonts a Chinese system has.
#[test]
fn one_bad_unit_leaves_the_report_of_the_others() {
    let scratch = tempfile::tempdir().unwrap();
    let units = scratch.path().join("units");
    fs::create_dir_all(&units).unwrap();
    fs::copy(
        Path::new(ROOT).join("cases/lukou-hrss-2023/unit.toml"),
        units.join("a.toml"),
    )
    .unwrap();
    fs::write(units.join("b.toml"), "[unit]\ncode = \"X\"\nname = 1\n").unwrap();
    let page = scratch.path().join("报告.html");
    let run = jixiao(&[
        "report",
        units.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("b.toml"),
        "{}",
        text(&run.stderr)
    );
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("株洲市渌口区人力资源和社会保障局"));
    assert!(html.contains("\"Noto Sans CJK SC\", \"Source Han Sans SC\""));
    assert!(html.contains("@media print"));
    // One unit, no department: no 按主管部门 section.
    assert!(!html.contains("按主管部门"));
}
