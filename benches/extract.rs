//! Throughput of `Extractor::mentions` and `Extractor::entities` on a few
//! KB of realistic news text (prose with quotes, titles and acronyms; a wire
//! sports report with upper-case headlines, datelines and a results table).
//! The texts are written for this benchmark; the people are invented.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use news_search::entity::Extractor;

const PROSE: &str = "Mexico and U.S. officials agree to redraw their security plan

MEXICO CITY (Meridian Wire) - Officials from Mexico and the United States agreed on Friday that their joint security plan needs a new approach, Foreign Minister Marcelo Ebrard said after the talks.
\"The plan will be rebuilt from the ground up,\" said one participant, who asked not to be identified. In a written statement, Roberto Velasco, Director for North America at the Foreign Ministry, said the goals include cutting the flow of weapons and narcotics.
The session was held at the Mexican Foreign Ministry, with the Secretaries of Foreign Relations, Marcelo Ebrard, and of Security and Citizen Protection, Rosa Icela Rodríguez, in attendance. For the United States Government, Juan González, special assistant to President Joe Biden at the National Security Council, and the Drug Enforcement Administration (DEA) chief of staff took part.
Ebrard’s office said talks would resume in Washington next month. Meanwhile, the DEA said joint intelligence work with its Mexican partners had stalled. According to analysts at Goldman Sachs, the peso gained 0.4 percent against the dollar, while Mexico's central bank, the Bank of Mexico, left its key rate at 4.00 percent.
Secretary of State Antony Blinken told reporters in Brussels that NATO allies and the European Union shared concerns. \"We see no reason to change course now,\" the Commission's senior spokeswoman Anna van der Berg told reporters in London.
German Finance Minister Katrin Vollmer, on a visit to Berlin, said the Bundesbank would hold its line. Toyota Motor Corp and General Motors Co reported higher sales in Japan and China, and Apple Inc. shares fell 2 percent on the Nasdaq.
";

/// Invented wire sports reports in the tokenised style of old newswire:
/// upper-case headlines, datelines, a cricket scorecard and a football
/// result.
const WIRE: &str = "CRICKET - YORKSHIRE HOLD OUT AS RAIN RETURNS .
LEEDS 2004-06-19
Left-armer Owen Farrant bowled 31 overs unchanged for Sussex , but Yorkshire batted out the last session with three wickets left to save the match .
Sussex stay second in the table , six points behind Hampshire , who had the day off before their game against Kent at Canterbury on Wednesday .
Headingley : Match drawn .
Sussex 402 ( T. Marlow 131 , P. Quist 77 ; O. Farrant 4-66 ) and 210-5 declared , Yorkshire 288 and 240-7 ( H. Ellery 92 ) .
Yorkshire 9 points , Sussex 11 .
Taunton : Gloucestershire 175 ( B. Sayle 5-40 ) and 12-0 , Worcestershire 301 ( F. Renwick 88 ) .
SOCCER - LATE PENALTY SENDS NORWAY THROUGH , CHILE OUT .
BERGEN , Norway 2004-06-20
Norway reached the last eight of the summer tournament with a 2-1 win over Chile , their winner a penalty four minutes from time .
Chile had levelled through a header from their captain Ignacio Fuenzalida early in the second half .
";

fn bench(c: &mut Criterion) {
    let ex = Extractor::builtin();
    let text = format!("{PROSE}\n{WIRE}");
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("mentions", |b| b.iter(|| ex.mentions(black_box(&text))));
    g.bench_function("entities", |b| b.iter(|| ex.entities(black_box(&text))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
