//! Settings of the system allocator for long runs that allocate and free
//! blocks of a megabyte and more: an index writer's arenas, merges' buffers.

/// Makes the allocator give every large block back to the kernel when it
/// is freed, for the rest of the process.
///
/// glibc maps a large block on its own, but raises that threshold to the
/// size of each such block freed (up to 32 MB). Once an index writer has
/// freed its first arenas, the next ones are carved from the allocator's
/// per-thread heaps, and space freed in the middle of those stays resident:
/// indexing a million articles kept about twice its live allocations.
/// A fixed threshold keeps large blocks mapped on their own. Other
/// allocators and systems are left as they are.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// Blocks of at least this many bytes get mappings of their own.
        const LARGE_BLOCK: libc::c_int = 256 * 1024;
        // SAFETY: mallopt changes one of the allocator's settings under its
        // own lock; it may be called at any time, from any thread.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK);
        }
    }
}
