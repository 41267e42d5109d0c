import Foundation

/// The CPU time this process has used so far, on all its threads, in seconds: what both ways of running
/// the replicas divide by the blocks they committed.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
