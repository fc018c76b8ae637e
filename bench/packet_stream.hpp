// PacketStream: pristine packets laid out back to back in the order they
// will be fed to the engine, so loading a batch is one sequential 2 KiB copy
// (the random flow order lives in the contents, not in scattered memory).
// BatchBuffers: the 32 frame buffers handed to Engine::process(), which
// rewrites them in place; they are refilled from the stream and parsed (the
// router's share: the engine takes its parse) before every call, because a
// translated packet would no longer match its session.
// Cold to build; load() is on the timed path and measured on its own by
// the copy-only benchmark.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/nat/engine.hpp"
#include "masq/net/flow_key.hpp"
#include "udp_packet.hpp"

namespace masq::bench {

inline constexpr std::size_t kBatch = 32;

class PacketStream {
 public:
  // One packet per flow, in order. The count is rounded down to whole batches.
  explicit PacketStream(std::span<const net::FlowKey> flows);

  std::size_t batches() const { return batches_; }
  std::size_t packets() const { return batches_ * kBatch; }
  const std::uint8_t* batch(std::size_t b) const {
    return bytes_.data() + b * kBatch * kPacketBytes;
  }

 private:
  std::size_t batches_;
  std::vector<std::uint8_t> bytes_;
};

class BatchBuffers {
 public:
  BatchBuffers() = default;
  // refs() point into the object itself.
  BatchBuffers(const BatchBuffers&) = delete;
  BatchBuffers& operator=(const BatchBuffers&) = delete;

  // Copies batch `b` of the stream into the buffers and parses it.
  void load(const PacketStream& stream, std::size_t b) {
    copy(stream, b);
    parse();
  }
  void copy(const PacketStream& stream, std::size_t b) {
    std::copy_n(stream.batch(b), bytes_.size(), bytes_.begin());
  }
  void parse() {
    for (std::size_t i = 0; i < kBatch; ++i) refs_[i] = nat::parse_packet(packet(i));
  }

  std::span<const nat::PacketRef> refs() const { return refs_; }
  std::span<nat::Verdict> verdicts() { return verdicts_; }
  std::span<std::uint8_t, kPacketBytes> packet(std::size_t i) {
    return std::span<std::uint8_t, kPacketBytes>(bytes_.data() + i * kPacketBytes, kPacketBytes);
  }
  const std::uint8_t* data() const { return bytes_.data(); }

 private:
  alignas(64) std::array<std::uint8_t, kBatch * kPacketBytes> bytes_{};
  std::array<nat::PacketRef, kBatch> refs_{};
  std::array<nat::Verdict, kBatch> verdicts_{};
};

// Feeds every batch of `stream` once through `engine` from `from` at `now_ns`;
// calls on_batch(buffers) after each, for the caller to read the results.
template <class OnBatch>
void feed(nat::Engine& engine, const PacketStream& stream, Side from, std::uint64_t now_ns,
          BatchBuffers& buffers, OnBatch&& on_batch) {
  for (std::size_t b = 0; b < stream.batches(); ++b) {
    buffers.load(stream, b);
    engine.process(buffers.refs(), from, now_ns, buffers.verdicts());
    on_batch(buffers);
  }
}

}  // namespace masq::bench
