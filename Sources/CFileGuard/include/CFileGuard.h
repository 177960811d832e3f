// Keeps a file mapped into memory from killing the process when the file shrinks while it
// is read: touching a page past the new end raises SIGBUS. Inside a guarded mapping, the
// handler maps a zero page there instead and notes that the file changed; the reader then
// reports it. Any other SIGBUS is left to kill the process as before.
#ifndef CUSTQ_FILE_GUARD_H
#define CUSTQ_FILE_GUARD_H

#include <stddef.h>

/// Guards [start, start + length): returns a slot number, or -1 when every slot is in use.
int custq_guard_mapping(void *start, size_t length);

/// Whether a page of the guarded mapping in `slot` could not be read from its file.
int custq_guard_faulted(int slot);

/// Stops guarding `slot` (before the mapping is unmapped).
void custq_guard_release(int slot);

#endif
