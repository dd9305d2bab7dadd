//! The allocator setting of index runs, in a process of its own: the
//! allocator's counters are shared by every thread of a process.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn large_blocks_go_back_to_the_kernel_when_freed() {
    const BLOCK: usize = 1 << 20;
    news_search::allocator::return_large_blocks();
    // The first free of a mapped block would raise glibc's own threshold
    // above the block's size; the next ones show whether it stayed fixed.
    for round in 0..3 {
        // SAFETY: mallinfo2 only reads the allocator's counters.
        let before = unsafe { libc::mallinfo2() }.hblkhd;
        let block = std::hint::black_box(vec![7u8; BLOCK]);
        let during = unsafe { libc::mallinfo2() }.hblkhd;
        drop(block);
        let after = unsafe { libc::mallinfo2() }.hblkhd;
        assert!(
            during >= before + BLOCK,
            "round {round}: a {BLOCK}-byte block was not mapped on its own ({before} -> {during} bytes mapped)"
        );
        assert!(
            after + BLOCK <= during,
            "round {round}: the freed block stayed mapped ({during} -> {after} bytes)"
        );
    }
}
