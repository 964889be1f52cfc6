# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# For ManifestReadersAgreeTest: parses every file in a directory with the Ruby shim's manifest reader and prints
# "<file> <outcome> <digest>" per file, where the digest is SHA-256 of what the reader concluded (never a value).
require "digest"
require "secrets_prefetch"

def hex(text) = text.nil? ? "-" : text.b.unpack1("H*")

def summary(manifest)
  parts = [manifest.generation, manifest.state, manifest.pending? ? manifest.deadline_epoch_ms : "-"]
  manifest.secrets.each do |name, entry|
    value = if entry.failed? then "e:#{hex(entry.error_code)}"
            elsif entry.value.binary? then "b:#{hex(entry.value.data)}"
            else "s:#{hex(entry.value.data)}"
            end
    parts << [hex(name), hex(entry.secret_id), hex(entry.parameter), hex(entry.arn), hex(entry.requested_version_id),
              hex(entry.requested_version_stage), entry.pins_version? ? "1" : "0", value].join(",")
  end
  Digest::SHA256.hexdigest(parts.join("|"))
end

Dir.children(ARGV.fetch(0)).sort.each do |file|
  bytes = File.binread(File.join(ARGV[0], file))
  begin
    manifest = SecretsPrefetch::Manifest.parse(bytes)
    puts "#{file} #{manifest.state} #{summary(manifest)}"
  rescue SecretsPrefetch::Manifest::FormatError => e
    puts "#{file} #{e.unknown_version? ? 'unknown-version' : 'corrupt'} -"
  end
end
