# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# What reading a hostile manifest costs (issue 17, item 13): for each shape, a fresh ruby process builds a
# manifest of SIZE bytes around it and measures the CPU time of JSON.parse alone and of the shim's
# SecretsPrefetch::Manifest.parse on the same bytes, so the result is a ratio. With OTHER_LIB (another copy of
# lib/, e.g. an earlier commit's from `git archive`), the same shapes run through it too, side by side.
#
#   ruby bench/hostile_manifests.rb [SIZE_MB [OTHER_LIB]]

require "json"
require "rbconfig"

SIZE = (Float(ARGV.fetch(0, "60")) * 1_000_000).to_i
LIBS = { "this lib" => File.expand_path("../lib", __dir__) }
LIBS["other lib"] = File.expand_path(ARGV[1]) if ARGV[1]

SHAPES = {
  "\\n escapes" => "%(\"\#{'\\n' * (n / 2)}\")",
  "one run of backslashes" => "%(\"\#{'\\\\' * n}\")",
  "escaped backslash + letter" => "%(\"\#{'\\\\\\\\a' * (n / 3)}\")",
  "surrogate pairs" => "%(\"\#{'\\ud83d\\ude00' * (n / 12)}\")",
  "\"a//b\" strings" => "%([\#{'\"a//b\",' * (n / 7)}\"x\"])",
  "small numbers" => "%([\#{'1,' * (n / 2)}1])"
}.freeze

PROBE = <<~'RUBY'
  require "json"
  require "secrets_prefetch"
  cpu = -> { Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond) }
  n = Integer(ARGV[0])
  junk = eval(ARGV[1]) # rubocop:disable Security/Eval -- the shapes above, from this script
  bytes = %({"formatVersion":1,"generation":1,"state":"ready","writtenAtEpochMs":1,"writer":"w","secrets":{},) +
          %("junk":#{junk}})
  bytes = bytes.b
  started = cpu.()
  JSON.parse(bytes)
  parsed = cpu.()
  outcome = begin
    SecretsPrefetch::Manifest.parse(bytes).state
  rescue SecretsPrefetch::Manifest::FormatError
    :corrupt
  end
  print parsed - started, " ", cpu.() - parsed, " ", outcome
RUBY

puts "ruby #{RUBY_VERSION}, manifests of #{SIZE / 1_000_000} MB, CPU ms in fresh processes"
puts format("%-28s %-10s %14s %18s %8s", "shape", "lib", "JSON.parse", "Manifest.parse", "ratio")
SHAPES.each do |shape, junk|
  LIBS.each do |label, lib|
    output = IO.popen([RbConfig.ruby, "-I", lib, "-e", PROBE, SIZE.to_s, junk], &:read)
    json, shim, outcome = output.split
    puts format("%-28s %-10s %11.0f ms %15.0f ms %7.1fx  %s", shape, label, json.to_f, shim.to_f,
                shim.to_f / json.to_f, outcome)
  end
end
puts "load average at the end: #{File.read('/proc/loadavg').split.first(3).join(' ')}" if File.exist?("/proc/loadavg")
