import BenchmarkHTTP

#if os(Linux)
/// glibc's `malloc_trim`, which Swift's Glibc module does not export (it lives in `malloc.h`).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

/// The resident set after handing freed heap back to the system: a sync leaves megabytes of decoder
/// scratch memory free but resident, which is not what the cache keeps.
enum TrimmedMemory {
    static func current() -> Int {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
        return ResidentMemory.current() ?? 0
    }
}
