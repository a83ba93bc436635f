// Whether a process group still has a live member, for deciding if stopping
// a stage must go on once its leader is reaped.
#pragma once

#include <sys/types.h>

namespace shpp::detail {

/// True if some process of group `pgid` is alive (not a zombie). killpg(0)
/// alone cannot tell: an orphaned grandchild that died stays in the group as
/// a zombie until init reaps it, which some inits (containers, VMs) do late.
bool group_has_live_members(pid_t pgid);

}  // namespace shpp::detail
