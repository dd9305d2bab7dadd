//! Throughput of `Extractor::mentions` on a few KB of realistic news text
//! (prose with quotes, titles and acronyms; a wire sports report with an
//! upper-case headline and a results table).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use news_search::entity::Extractor;

const PROSE: &str = "Mexico and U.S. officials agree to rethink security strategy

MEXICO CITY (Reuters) - During a high-level meeting between officials of Mexico and the United States on Friday, the representatives of both countries agreed to rethink the binational security strategy, Foreign Minister Marcelo Ebrard said.
\"The focus on security strategy will be changed,\" said one of the attendees, who asked not to be named. In a public message, Roberto Velasco, Director for North America of the Foreign Ministry, highlighted that among the agreed objectives is to reduce arms and drug trafficking.
The meeting took place at the Mexican Foreign Ministry, where the Secretaries of Foreign Relations, Marcelo Ebrard, and of Security and Citizen Protection, Rosa Icela Rodríguez, were present. On behalf of the United States Government, Juan González, special assistant to President Joe Biden of the National Security Council, and the Drug Enforcement Administration (DEA) chief of staff participated.
Ebrard’s office said the talks would continue in Washington next month. Meanwhile, the DEA said intelligence operations carried out together with its Mexican counterparts had been paralysed. According to analysts at Goldman Sachs, the peso rose 0.4 percent against the dollar, while Mexico's central bank, the Bank of Mexico, kept its key rate unchanged at 4.00 percent.
Secretary of State Antony Blinken told reporters in Brussels that NATO allies and the European Union shared concerns. \"We don't see any grounds for it,\" the Commission's chief spokesman Nikolaus van der Pas told a news briefing in London.
German Chancellor Helmut Kohl, speaking in Bonn, said the Bundesbank would not change course. Toyota Motor Corp and General Motors Co reported higher sales in Japan and China, and Apple Inc. shares fell 2 percent on the Nasdaq.
";

const WIRE: &str = "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY .
LONDON 1996-08-30
West Indian all-rounder Phil Simmons took four for 38 on Friday as Leicestershire beat Somerset by an innings and 39 runs in two days to take over at the head of the county championship .
Their stay on top , though , may be short-lived as title rivals Essex , Derbyshire and Surrey all closed in on victory while Kent made up for lost time in their rain-affected match against Nottinghamshire .
Leicester : Leicestershire beat Somerset by an innings and 39 runs .
Somerset 83 and 174 ( P. Simmons 4-38 ) , Leicestershire 296 .
Leicestershire 22 points , Somerset 4 .
Chester-le-Street : Glamorgan 259 and 207 ( A. Dale 69 , H. Morris 69 ; D. Blenkiron 4-43 ) , Durham 114 ( S. Watkin 4-28 ) and 81-3 .
SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .
AL-AIN , United Arab Emirates 1996-12-06
Japan began the defence of their Asian Cup title with a lucky 2-1 win against Syria in a Group C championship match on Friday .
But China saw their luck desert them in the second match of the group , crashing to a surprise 2-0 defeat to newcomers Uzbekistan .
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
