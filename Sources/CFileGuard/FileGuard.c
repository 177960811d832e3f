#include "CFileGuard.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 64

static _Atomic uintptr_t starts[SLOTS];
static _Atomic uintptr_t ends[SLOTS];
static _Atomic int faulted[SLOTS];
static atomic_flag installed = ATOMIC_FLAG_INIT;

static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int slot = 0; slot < SLOTS; slot++) {
        uintptr_t start = atomic_load(&starts[slot]), end = atomic_load(&ends[slot]);
        if (start != 0 && address >= start && address < end) {
            long page = sysconf(_SC_PAGESIZE);
            void *at = (void *)(address & ~(uintptr_t)(page - 1));
            // A page of zeros where the file ended: the reader sees NUL bytes and stops.
            if (mmap(at, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
                atomic_store(&faulted[slot], 1);
                return;
            }
        }
    }
    // Not ours: die of it as the process would have.
    signal(signal_number, SIG_DFL);
}

static void install(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, NULL);
}

int custq_guard_mapping(void *start, size_t length) {
    install();
    for (int slot = 0; slot < SLOTS; slot++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&starts[slot], &expected, (uintptr_t)start)) {
            atomic_store(&faulted[slot], 0);
            atomic_store(&ends[slot], (uintptr_t)start + length);
            return slot;
        }
    }
    return -1;
}

int custq_guard_faulted(int slot) {
    return slot >= 0 && slot < SLOTS ? atomic_load(&faulted[slot]) : 0;
}

void custq_guard_release(int slot) {
    if (slot < 0 || slot >= SLOTS) return;
    atomic_store(&ends[slot], 0);
    atomic_store(&starts[slot], 0);
}
