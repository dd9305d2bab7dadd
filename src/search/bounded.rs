//! A collector that stops at a deadline: it walks each segment's matching
//! documents itself (tantivy's own walk cannot be interrupted) and checks
//! the deadline every few thousand documents, so a search over a large
//! result set ends soon after nobody waits for it.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::deadline::Deadline;

/// Documents walked between two looks at the deadline (a few hundred
/// microseconds of work at most).
const CHECK_EVERY: u32 = 4096;

/// Wraps a collector so that its search stops once `deadline` passes.
pub struct Bounded<'a, C> {
    inner: C,
    deadline: &'a Deadline,
}

impl<'a, C> Bounded<'a, C> {
    /// `inner`, stopped at `deadline`.
    pub fn new(inner: C, deadline: &'a Deadline) -> Self {
        Bounded { inner, deadline }
    }
}

impl<C: Collector> Collector for Bounded<'_, C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<C::Child> {
        self.inner.for_segment(segment_local_id, segment)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        segment_fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(segment_fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
        self.deadline.check_tantivy()?;
        let mut child = self.inner.for_segment(segment_ord, reader)?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        if self.inner.requires_scoring() {
            let mut doc = scorer.doc();
            let mut walked = 0u32;
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.collect(doc, scorer.score());
                }
                doc = scorer.advance();
                walked += 1;
                if walked.is_multiple_of(CHECK_EVERY) {
                    self.deadline.check_tantivy()?;
                }
            }
        } else {
            let mut buffer = [0 as DocId; COLLECT_BLOCK_BUFFER_LEN];
            let mut live: Vec<DocId> = Vec::with_capacity(COLLECT_BLOCK_BUFFER_LEN);
            let mut walked = 0u32;
            loop {
                let n = scorer.fill_buffer(&mut buffer);
                match alive {
                    Some(a) => {
                        live.clear();
                        live.extend(buffer[..n].iter().copied().filter(|d| a.is_alive(*d)));
                        child.collect_block(&live);
                    }
                    None => child.collect_block(&buffer[..n]),
                }
                if n < buffer.len() {
                    break;
                }
                walked += n as u32;
                if walked.is_multiple_of(CHECK_EVERY) {
                    self.deadline.check_tantivy()?;
                }
            }
        }
        Ok(child.harvest())
    }
}
