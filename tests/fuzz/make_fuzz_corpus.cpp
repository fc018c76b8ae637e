// Writes the seed corpora of the fuzz targets from readable packet lines
// (the scenario syntax, tests/scenarios/README.md):
//   make_fuzz_corpus OUT_DIR   ->   OUT_DIR/fuzz_engine/*, OUT_DIR/fuzz_parse/*
// Each engine seed is a short conversation that reaches one part of the
// engine under fuzz_engine_config(); every packet of them, plus a few
// malformed ones, is also a parse seed. The output is committed under
// tests/fuzz/corpus; rerun this after changing the seeds.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "support/packet_builder.hpp"
#include "support/packet_text.hpp"

namespace masq::test {
namespace {

namespace fs = std::filesystem;

struct Line {
  const char* side;  // "lan", "wan", or "+lan"/"+wan" to join the previous batch
  std::uint8_t dt;   // half seconds
  const char* packet;
  bool l4_seed = false;  // handed over as ParsedPacket::l4_seed (write csumseed in the packet)
};

struct Seed {
  const char* name;
  std::vector<Line> lines;
};

const std::vector<Seed>& engine_seeds() {
  static const std::vector<Seed> kSeeds{
      {"udp_out_and_back",
       {{"lan", 0, "udp 192.168.77.2:5000 > 198.51.100.7:53 len=20"},
        {"wan", 1, "udp 198.51.100.7:53 > 203.0.113.1:5000 len=40"},
        {"wan", 80, "udp 198.51.100.7:53 > 203.0.113.1:5000 len=4"}}},
      {"udp_same_port_batch",
       {{"lan", 0, "udp 192.168.77.2:5000 > 198.51.100.7:3478"},
        {"+lan", 0, "udp 192.168.77.3:5000 > 198.51.100.7:3478"},
        {"+lan", 0, "udp 192.168.77.4:53 > 198.51.100.7:53 nocsum"},
        {"wan", 1, "udp 198.51.100.7:3478 > 203.0.113.1:5000"}}},
      {"tcp_connection",
       {{"lan", 0, "tcp 192.168.77.2:40000 > 198.51.100.7:80 flags=S tcpopts=020405b4"},
        {"wan", 1, "tcp 198.51.100.7:80 > 203.0.113.1:40000 flags=SA ack=1001"},
        {"lan", 1, "tcp 192.168.77.2:40000 > 198.51.100.7:80 flags=PA len=100"},
        {"wan", 1, "tcp 198.51.100.7:80 > 203.0.113.1:40000 flags=FA"},
        {"lan", 1, "tcp 192.168.77.2:40000 > 198.51.100.7:80 flags=FA"},
        {"wan", 1, "tcp 198.51.100.7:80 > 203.0.113.1:40000 flags=R"},
        {"lan", 40, "tcp 192.168.77.2:40000 > 198.51.100.7:80 flags=A"}}},
      {"tcp_super_frames_seeded",
       {{"lan", 0, "tcp 192.168.77.2:40001 > 198.51.100.7:443 flags=S"},
        {"lan", 0, "tcp 192.168.77.3:40001 > 198.51.100.7:443 flags=S"},
        {"lan", 1, "tcp 192.168.77.3:40001 > 198.51.100.7:443 flags=A len=3000 csumseed", true},
        {"wan", 1, "tcp 198.51.100.7:443 > 203.0.113.1:40001 flags=A len=3000 csumseed", true}}},
      {"icmp_echo_and_errors",
       {{"lan", 0, "icmp echo 192.168.77.2 > 198.51.100.7 id=7 seq=1 len=32"},
        {"wan", 1, "icmp echo-reply 198.51.100.7 > 203.0.113.1 id=7 seq=1 len=32"},
        {"wan", 1,
         "icmp 11/0 198.51.100.1 > 203.0.113.1 inner icmp echo 203.0.113.1 > 198.51.100.7 id=7 "
         "seq=1 len=32"},
        {"lan", 1, "udp 192.168.77.2:5000 > 198.51.100.7:53 len=8"},
        {"wan", 1,
         "icmp 3/3 198.51.100.7 > 203.0.113.1 inner udp 203.0.113.1:5000 > 198.51.100.7:53 len=8"},
        {"wan", 1,
         "icmp 3/4 198.51.100.1 > 203.0.113.1 mtu=1280 quote=28 inner udp 203.0.113.1:5000 > "
         "198.51.100.7:53 len=8"}}},
      {"icmp_error_from_inside",
       {{"wan", 0, "udp 198.51.100.9:1234 > 203.0.113.1:6003 len=10"},
        {"lan", 1,
         "icmp 3/3 192.168.77.3 > 198.51.100.9 inner udp 198.51.100.9:1234 > 192.168.77.3:7003 "
         "len=10"}}},
      {"forward_and_hairpin",
       {{"wan", 0, "tcp 198.51.100.7:50000 > 203.0.113.1:8080 flags=S"},
        {"lan", 1, "tcp 192.168.77.3:8080 > 198.51.100.7:50000 flags=SA ack=1001"},
        {"lan", 1, "tcp 192.168.77.2:40000 > 203.0.113.1:8080 flags=S"},
        {"lan", 1, "tcp 192.168.77.3:8080 > 203.0.113.1:40000 flags=SA ack=1001"}}},
      {"static_nat",
       {{"wan", 0, "udp 198.51.100.9:6000 > 203.0.113.50:6001"},
        {"lan", 1, "udp 192.168.77.5:6001 > 198.51.100.9:6000"},
        {"lan", 1, "icmp echo 192.168.77.2 > 203.0.113.50 id=5 seq=1"},
        {"lan", 1, "icmp echo-reply 192.168.77.5 > 203.0.113.1 id=5 seq=1"}}},
      {"hole_punching",
       {{"lan", 0, "udp 192.168.77.2:5000 > 198.51.100.7:3478"},
        {"lan", 0, "udp 192.168.77.4:5000 > 198.51.100.7:3478"},
        {"lan", 1, "udp 192.168.77.2:5000 > 203.0.113.1:5001"},
        {"lan", 1, "udp 192.168.77.4:5000 > 203.0.113.1:5000"}}},
      {"exclusion_and_martians",
       {{"lan", 0, "udp 192.168.77.2:5000 > 10.20.1.1:53"},
        {"wan", 1, "udp 10.20.1.1:53 > 192.168.77.2:5000"},
        {"wan", 1, "udp 192.168.77.9:53 > 203.0.113.1:5000"},
        {"lan", 1, "udp 10.9.9.9:5000 > 198.51.100.7:53"},
        {"wan", 1, "ip 198.51.100.7 > 203.0.113.1 proto=47 len=8"},
        {"lan", 1, "udp 192.168.77.2:5000 > 198.51.100.7:53 ttl=1"},
        {"lan", 1, "udp 192.168.77.2:5000 > 198.51.100.7:53 mf"}}},
      {"fill_the_table",
       {{"lan", 0, "udp 192.168.77.2:5000 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5001 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5002 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5003 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5004 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5005 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5006 > 198.51.100.7:53"},
        {"+lan", 0, "udp 192.168.77.2:5007 > 198.51.100.7:53"},
        {"lan", 1, "udp 192.168.77.2:5008 > 198.51.100.7:53"},
        {"lan", 1, "udp 192.168.77.2:5009 > 198.51.100.7:53"},
        {"lan", 1, "udp 192.168.77.2:5010 > 198.51.100.7:53"},
        {"lan", 1, "udp 192.168.77.2:5011 > 198.51.100.7:53"},
        {"lan", 1, "udp 192.168.77.2:5012 > 198.51.100.7:53"},
        {"lan", 70, "udp 192.168.77.3:5012 > 198.51.100.7:53"}}},
  };
  return kSeeds;
}

// Packets that only the parser needs to see.
const std::vector<const char*>& parse_only_seeds() {
  static const std::vector<const char*> kSeeds{
      "udp 192.168.77.2:5000 > 198.51.100.7:53 opts=9404000001010000",
      "tcp 192.168.77.2:40000 > 198.51.100.7:80 flags=S tcpoff=15 len=4",
      "udp 192.168.77.2:5000 > 198.51.100.7:53 udplen=200",
      "udp 192.168.77.2:5000 > 198.51.100.7:53 ihl=15",
      "udp 192.168.77.2:5000 > 198.51.100.7:53 opts=44050000",
      "udp 192.168.77.2:5000 > 198.51.100.7:53 frag=1480 len=16",
      "icmp 3/3 198.51.100.7 > 203.0.113.1 quote=30 inner tcp 203.0.113.1:1 > 198.51.100.7:2 "
      "opts=01010101",
  };
  return kSeeds;
}

std::vector<std::uint8_t> packet(const char* text) {
  return build_packet(parse_packet_text(split_words(text), PacketSpec{}, no_variables).spec);
}

void write(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void generate(const fs::path& dir) {
  const fs::path engine_dir = dir / "fuzz_engine";
  const fs::path parse_dir = dir / "fuzz_parse";
  fs::create_directories(engine_dir);
  fs::create_directories(parse_dir);
  for (const Seed& seed : engine_seeds()) {
    std::vector<std::uint8_t> input;
    int n = 0;
    for (const Line& line : seed.lines) {
      const std::string side = line.side;
      const std::vector<std::uint8_t> bytes = packet(line.packet);
      FuzzStep step{side.ends_with("wan") ? Side::wan : Side::lan, side.starts_with('+'), line.dt,
                    bytes};
      step.l4_seed = line.l4_seed;
      append_fuzz_step(input, step);
      write(parse_dir / (std::string(seed.name) + "_" + std::to_string(n++)), bytes);
    }
    write(engine_dir / seed.name, input);
  }
  int n = 0;
  for (const char* text : parse_only_seeds())
    write(parse_dir / ("malformed_" + std::to_string(n++)), packet(text));
}

}  // namespace
}  // namespace masq::test

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    masq::test::generate(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_fuzz_corpus: %s\n", e.what());
    return 1;
  }
  return 0;
}
