#pragma once
// Seeded damage to a file's bytes, of the kinds real archives and hostile senders produce: bits
// flipped, the file cut short, element length fields and VR bytes corrupted, bytes spliced in
// from elsewhere. The same seed gives the same damage, so a failure reproduces.
#include <cstdint>
#include <string>
#include <string_view>

namespace radveil::test {

enum class Mutation { FlipBits, Truncate, CorruptLength, CorruptVr, Splice };
inline constexpr Mutation kMutations[] = {Mutation::FlipBits, Mutation::Truncate, Mutation::CorruptLength,
                                          Mutation::CorruptVr, Mutation::Splice};

std::string_view mutation_name(Mutation m);

// `bytes` damaged by `m`, driven by `seed`. A file too short for the kind gets bits flipped.
std::string mutate(std::string bytes, Mutation m, std::uint64_t seed);

}  // namespace radveil::test
