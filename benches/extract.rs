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

/// An invented wire sports report in the tokenised style of 1990s newswire:
/// upper-case headlines, datelines, a cricket results table.
const WIRE: &str = "CRICKET - YORKSHIRE CLOSE IN ON TITLE WITH EASY WIN .
LONDON 1996-08-30
Australian seamer Dan Pollard took five for 41 on Thursday as Yorkshire beat Sussex by eight wickets with a day to spare to open a clear lead in the county table .
Their lead may not last long , however , with Lancashire , Hampshire and Worcestershire all pressing for wins while Middlesex were frustrated by rain at Northampton .
Hove : Yorkshire beat Sussex by eight wickets .
Sussex 162 and 201 ( D. Pollard 5-41 ) , Yorkshire 318 and 46-2 .
Yorkshire 21 points , Sussex 5 .
Worcester : Worcestershire 288 and 176 ( R. Kettle 58 , J. Aldous 44 ; M. Quayle 4-39 ) , Hampshire 150 ( T. Brindley 5-33 ) and 92-4 .
SOCCER - KOREA SNATCH LATE WIN , IRAN HELD TO DRAW .
ABU DHABI , United Arab Emirates 1996-12-06
South Korea opened their Asian Cup campaign with a late 2-1 win over Kuwait in a Group A match on Friday .
Iran and Saudi Arabia drew 0-0 in the group 's other fixture , which leaves both sides needing wins next week .
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
