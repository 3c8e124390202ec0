//! The summary table and the JUnit report.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::play::ScenarioOutcome;

/// A suite of simple cases (the signing vectors), reported beside the scenarios.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub suite: &'static str,
    pub name: String,
    pub problems: Vec<String>,
    pub elapsed: Duration,
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Prints the table: vector suites summarized (failures listed), every scenario with each
/// step's time.
pub fn print_table(cases: &[CaseOutcome], scenarios: &[ScenarioOutcome]) {
    let mut out = std::io::stdout().lock();
    let mut suites: Vec<&str> = cases.iter().map(|c| c.suite).collect();
    suites.dedup();
    let _ = writeln!(out, "{:<10} {:<58} {:>9}  result", "kind", "name", "ms");
    for suite in suites {
        let mine: Vec<&CaseOutcome> = cases.iter().filter(|c| c.suite == suite).collect();
        let failed: Vec<&&CaseOutcome> = mine.iter().filter(|c| !c.problems.is_empty()).collect();
        let total: Duration = mine.iter().map(|c| c.elapsed).sum();
        let _ = writeln!(
            out,
            "{:<10} {:<58} {:>9}  {}",
            "vectors",
            format!("{suite} ({} cases)", mine.len()),
            ms(total),
            if failed.is_empty() {
                "pass".to_owned()
            } else {
                format!("FAIL ({})", failed.len())
            }
        );
        for c in failed {
            let _ = writeln!(
                out,
                "{:<10}   {:<56} {:>9}  FAIL: {}",
                "",
                c.name,
                ms(c.elapsed),
                c.problems.join("; ")
            );
        }
    }
    for s in scenarios {
        let result = match (&s.skipped, s.passed()) {
            (Some(why), _) => format!("skipped: {why}"),
            (None, true) => "pass".to_owned(),
            (None, false) => "FAIL".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<10} {:<58} {:>9}  {result}",
            "scenario",
            s.label(),
            ms(s.elapsed)
        );
        for step in &s.steps {
            let result = match &step.problem {
                None => "ok".to_owned(),
                Some(p) => format!("FAIL: {p}"),
            };
            let _ = writeln!(
                out,
                "{:<10}   {:<56} {:>9}  {result}",
                "",
                step.name,
                ms(step.elapsed)
            );
        }
    }
}

/// Writes a JUnit XML report: one test suite per vector suite and per scenario, one test case
/// per vector or step.
pub fn write_junit(
    path: &Path,
    cases: &[CaseOutcome],
    scenarios: &[ScenarioOutcome],
) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let io = |e: quick_xml::Error| std::io::Error::other(e.to_string());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    w.write_event(Event::Start(
        BytesStart::new("testsuites").with_attributes([("name", "amazon-pay-conformance")]),
    ))
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut suites: Vec<&str> = cases.iter().map(|c| c.suite).collect();
    suites.dedup();
    for suite in suites {
        let mine: Vec<(String, Duration, Option<String>)> = cases
            .iter()
            .filter(|c| c.suite == suite)
            .map(|c| {
                (
                    c.name.clone(),
                    c.elapsed,
                    (!c.problems.is_empty()).then(|| c.problems.join("; ")),
                )
            })
            .collect();
        write_suite(&mut w, &format!("vectors/{suite}"), &mine, None).map_err(io)?;
    }
    for s in scenarios {
        let steps: Vec<(String, Duration, Option<String>)> = s
            .steps
            .iter()
            .map(|st| (st.name.clone(), st.elapsed, st.problem.clone()))
            .collect();
        write_suite(
            &mut w,
            &format!("scenario/{}", s.label()),
            &steps,
            s.skipped.as_deref(),
        )
        .map_err(io)?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    std::fs::write(path, w.into_inner())
}

fn write_suite(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    cases: &[(String, Duration, Option<String>)],
    skipped: Option<&str>,
) -> Result<(), quick_xml::Error> {
    let failures = cases.iter().filter(|c| c.2.is_some()).count().to_string();
    let tests = cases.len().max(usize::from(skipped.is_some())).to_string();
    let time = format!(
        "{:.3}",
        cases.iter().map(|c| c.1).sum::<Duration>().as_secs_f64()
    );
    let skipped_count = usize::from(skipped.is_some()).to_string();
    w.write_event(Event::Start(BytesStart::new("testsuite").with_attributes(
        [
            ("name", name),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("skipped", skipped_count.as_str()),
            ("time", time.as_str()),
        ],
    )))?;
    if let Some(why) = skipped {
        w.write_event(Event::Start(
            BytesStart::new("testcase").with_attributes([("name", name)]),
        ))?;
        w.write_event(Event::Empty(
            BytesStart::new("skipped").with_attributes([("message", why)]),
        ))?;
        w.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    for (case, elapsed, problem) in cases {
        let time = format!("{:.6}", elapsed.as_secs_f64());
        w.write_event(Event::Start(BytesStart::new("testcase").with_attributes([
            ("name", case.as_str()),
            ("classname", name),
            ("time", time.as_str()),
        ])))?;
        if let Some(problem) = problem {
            w.write_event(Event::Start(
                BytesStart::new("failure").with_attributes([("message", problem.as_str())]),
            ))?;
            w.write_event(Event::Text(BytesText::new(problem)))?;
            w.write_event(Event::End(BytesEnd::new("failure")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    Ok(())
}
