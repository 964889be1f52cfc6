# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "strict_json"

module SecretsPrefetch
  # A secret's value: a UTF-8 String (SecretString) or a binary String (SecretBinary). +inspect+ shows the
  # kind and size only.
  # @api private
  class Value
    attr_reader :data

    def self.text(string)
      new(string.dup.force_encoding(Encoding::UTF_8).freeze, binary: false)
    end

    def self.binary(bytes)
      new(bytes.b.freeze, binary: true)
    end

    def initialize(data, binary:)
      @data = data
      @binary = binary
      freeze
    end

    def binary?
      @binary
    end

    def inspect
      binary? ? "#<binary value, #{data.bytesize} bytes>" : "#<string value, #{data.length} chars>"
    end
    alias to_s inspect
  end

  # One manifest (docs/manifest.md, format version 1), parsed and validated. Needs nothing beyond the
  # standard library: base64 is decoded with String#unpack1, so no base64 gem is required either.
  # @api private
  class Manifest
    FORMAT_VERSION = 1

    # A manifest exists but cannot be used. The message names the problem, never the file's content.
    class FormatError < StandardError
      def initialize(message, unknown_version: false)
        @unknown_version = unknown_version
        super(message)
      end

      def unknown_version?
        @unknown_version
      end
    end

    # What the manifest holds for one configured secret or SSM parameter: its value or the error code of the
    # failed fetch. A secret entry has a +secret_id+, a parameter entry a +parameter+ (with its selector, if any).
    class Entry
      attr_reader :secret_id, :parameter, :arn, :requested_version_id, :requested_version_stage, :value, :error_code

      # +node+: the entry's object, checked by Parser (its strings are its own: the document is dropped).
      def initialize(node, value, error_code)
        @secret_id = node["secretId"]&.freeze
        @parameter = node["parameter"]&.freeze
        @arn = node["arn"]&.freeze
        # A parameter's version or label is part of its name; requestedVersion* are a secret's.
        @requested_version_id = node["requestedVersionId"]&.freeze unless @parameter
        @requested_version_stage = node["requestedVersionStage"]&.freeze unless @parameter
        @pins_parameter_version = @parameter && (node.key?("requestedVersion") || node.key?("requestedLabel"))
        @value = value
        @error_code = error_code
        freeze
      end

      def parameter?
        !parameter.nil?
      end

      # The secret id or the parameter, as configured.
      def id
        secret_id || parameter
      end

      def failed?
        !error_code.nil?
      end

      def pins_version?
        @pins_parameter_version || !(requested_version_id.nil? && requested_version_stage.nil?)
      end

      def inspect
        "#<entry #{id} #{failed? ? "error #{error_code}" : value.inspect}>"
      end
      alias_method :to_s, :inspect
    end

    attr_reader :generation, :state, :deadline_epoch_ms, :secrets

    def initialize(generation:, state:, deadline_epoch_ms:, secrets:)
      @generation = generation
      @state = state
      @deadline_epoch_ms = deadline_epoch_ms
      @secrets = secrets.freeze
      freeze
    end

    def pending?
      state == :pending
    end

    # The entry for what a handler asked for: the entry of that name, else one that pins no version and whose
    # secretId, parameter or ARN equals it; nil when there is none.
    def resolve(name)
      secrets.fetch(name) do
        secrets.each_value.find { |e| !e.pins_version? && (e.id == name || e.arn == name) }
      end
    end

    def inspect
      "#<manifest generation=#{generation} state=#{state} secrets=#{secrets.keys.inspect}>"
    end
    alias to_s inspect

    # @raise [FormatError] if +bytes+ are not a version-1 manifest
    def self.parse(bytes)
      Parser.new.parse(bytes)
    end

    INT64 = (-(2**63))..((2**63) - 1)
    # The type of every field a reader looks at (docs/manifest.md, "Shape"), per level; others are ignored.
    TOP = { "formatVersion" => Integer, "generation" => Integer, "state" => String, "deadlineEpochMs" => Integer,
            "writtenAtEpochMs" => Integer, "writer" => String, "secrets" => Hash }.freeze
    ENTRY = { "secretId" => String, "arn" => String, "versionId" => String, "versionStages" => Array,
              "requestedVersionId" => String, "requestedVersionStage" => String, "fetchedAtEpochMs" => Integer,
              "secretString" => String, "secretBinary" => String, "error" => Hash, "parameter" => String,
              "parameterType" => String, "parameterVersion" => Integer, "requestedVersion" => Integer,
              "requestedLabel" => String }.freeze
    ERROR = { "code" => String, "message" => String }.freeze
    KINDS = { Hash => "an object", Array => "an array", String => "a string", Integer => "an integer",
              Float => "a decimal number", TrueClass => "a boolean", FalseClass => "a boolean", NilClass => "null",
              Object => "a value" }.freeze
    private_constant :TOP, :ENTRY, :ERROR, :KINDS

    # Reads the document the way the Java reader does: the syntax rules (docs/manifest.md) over the whole
    # document, the version next, then every known field with its type.
    class Parser
      def parse(bytes)
        doc = StrictJson.parse(bytes)
        raise corrupt("manifest top level must be an object, is #{kind(doc)}") unless doc.is_a?(Hash)

        check_version(doc)
        manifest(typed(doc, TOP, "manifest field "))
      rescue StrictJson::Invalid => e
        raise corrupt("manifest #{e.message}#{' (truncated, or not a manifest)' if e.message == StrictJson::NOT_JSON}")
      end

      private

      def check_version(doc)
        raise corrupt("manifest has no formatVersion") unless doc.key?("formatVersion")

        version = typed(doc.slice("formatVersion"), TOP, "manifest field ")["formatVersion"]
        return if version == FORMAT_VERSION

        raise FormatError.new("manifest formatVersion #{version} is not supported (this reader knows " \
                              "#{FORMAT_VERSION}); upgrade the client to match the extension layer",
                              unknown_version: true)
      end

      def manifest(doc)
        state = required(doc, "state", "state")
        raise corrupt("manifest field state must be \"pending\" or \"ready\"") unless %w[pending ready].include?(state)
        raise corrupt("manifest field generation must be at least 1") if required(doc, "generation", "generation") < 1

        required(doc, "writtenAtEpochMs", "writtenAtEpochMs")
        required(doc, "writer", "writer")
        entries = doc.key?("secrets") ? entries(doc["secrets"]) : nil
        if state == "pending"
          Manifest.new(generation: doc["generation"], state: :pending,
                       deadline_epoch_ms: required(doc, "deadlineEpochMs", "deadlineEpochMs"), secrets: {})
        else
          Manifest.new(generation: doc["generation"], state: :ready, deadline_epoch_ms: nil,
                       secrets: entries || required(doc, "secrets", "secrets"))
        end
      end

      def entries(node)
        node.each_with_index.to_h { |(name, entry), index| [name, entry(index + 1, entry)] }
      end

      # Entries are named by position: a name is file content, and may be anything (docs/manifest.md).
      def entry(position, node)
        where = "secrets entry #{position}"
        raise corrupt("manifest #{where} must be an object, is #{kind(node)}") unless node.is_a?(Hash)

        typed(node, ENTRY, "manifest #{where} field ")
        values = %w[secretString secretBinary error].count { |field| node.key?(field) }
        unless values == 1
          raise corrupt("manifest #{where} must have exactly one of secretString, secretBinary and error, " \
                        "has #{values}")
        end

        if node.key?("secretId") == node.key?("parameter")
          raise corrupt("manifest #{where} must have exactly one of secretId and parameter, has " \
                        "#{node.key?('secretId') ? 'both' : 'neither'}")
        end
        required(node, "fetchedAtEpochMs", "#{where} field fetchedAtEpochMs")
        if node.key?("parameter") && node.key?("secretBinary")
          raise corrupt("manifest #{where} is a parameter with a secretBinary; an SSM parameter's value is text")
        end

        if node.key?("secretString") then Entry.new(node, Value.text(node["secretString"]), nil)
        elsif node.key?("secretBinary") then Entry.new(node, Value.binary(base64(node["secretBinary"], where)), nil)
        else Entry.new(node, nil, error_code(node, where))
        end
      end

      def error_code(node, where)
        error = typed(node["error"], ERROR, "manifest #{where} field error.")
        required(error, "code", "#{where} field error.code").freeze
      end

      def base64(text, where)
        # Canonical base64 with its padding complete or left out, as the Java reader accepts it.
        padded = text.include?("=") ? text : text + ("=" * (-text.length % 4))
        padded.unpack1("m0")
      rescue ArgumentError
        raise corrupt("manifest #{where} field secretBinary is not valid base64"), cause: nil
      end

      # +node+, once each field in +types+ it has is of its type (integers within 64 bits, arrays of strings).
      def typed(node, types, where)
        types.each do |field, type|
          next unless node.key?(field)

          value = node[field]
          raise corrupt("#{where}#{field} must be #{KINDS[type]}, is #{kind(value)}") unless value.is_a?(type)
          if type == Integer && !INT64.cover?(value)
            raise corrupt("#{where}#{field} must be an integer from #{INT64.begin} to #{INT64.end}")
          end
          next unless type == Array

          value.each do |item|
            raise corrupt("#{where}#{field}[] must be a string, is #{kind(item)}") unless item.is_a?(String)
          end
        end
        node
      end

      def required(node, field, what)
        node.fetch(field) { raise corrupt("manifest has no #{what}") }
      end

      def corrupt(message)
        FormatError.new(message)
      end

      def kind(value)
        KINDS.each { |type, kind| return kind if value.is_a?(type) }
      end
    end
    private_constant :Parser
  end

  # The manifest file as this process last saw it. The parsed manifest is kept in memory; the file is
  # re-checked (stat: inode, size, mtime; re-read only when one changed) at most once per RECHECK_MS, so a
  # new generation written by the extension (refresh, rotation) is picked up within a second.
  # @api private
  class ManifestSource
    RECHECK_MS = 1000
    # Larger files are not manifests the extension wrote (the Java reader's limit too).
    MAX_BYTES = 64 * 1024 * 1024

    def initialize(path, clock, log)
      @path = path
      @clock = clock
      @log = log
      @lock = Mutex.new
      @manifest = nil
      @signature = nil
      @checked_at = nil
      @warned = false
    end

    # The current manifest, or nil when there is none (no file, or one that cannot be used).
    # +force+ skips the once-a-second limit (used while waiting for a pending manifest).
    def current(force: false)
      @lock.synchronize do
        now = @clock.monotonic_ms
        unless !force && @checked_at && now - @checked_at < RECHECK_MS
          @checked_at = now
          refresh
        end
        @manifest
      end
    end

    private

    def refresh
      stat = File.lstat(@path)
      signature = signature_of(stat)
      return if signature == @signature
      return ignore(signature, "is a symbolic link, which readers never follow") if stat.symlink?
      # Never opened: opening a FIFO would block the handler.
      return ignore(signature, "is not a regular file (a directory, FIFO or device)") unless stat.file?

      load
    rescue Errno::ENOENT, Errno::ENOTDIR
      forget
    rescue Errno::ELOOP
      ignore(nil, "is a symbolic link, which readers never follow") # replaced by a link since the lstat
    rescue SystemCallError => e
      ignore(nil, "cannot be read (#{e.class.name.split('::').last}); check its owner and mode (0600, the " \
                  "function's user)")
    end

    # Reads through the descriptor it stats, so the signature kept is that of the bytes parsed, even when the
    # extension replaces the file in between.
    def load
      signature = nil
      bytes = File.open(@path, File::RDONLY | File::NOFOLLOW | File::BINARY) do |file|
        stat = file.stat
        signature = signature_of(stat)
        raise Manifest::FormatError, too_large(stat.size) if stat.size > MAX_BYTES

        # Sized by the file, not by the limit: a 64 MiB buffer for every read would cost a garbage collection.
        file.read(stat.size + 1) || +""
      end
      raise Manifest::FormatError, too_large(bytes.bytesize) if bytes.bytesize > MAX_BYTES

      @manifest = Manifest.parse(bytes)
      @signature = signature
      @log.debug("manifest #{@path} read: generation #{@manifest.generation}, #{@manifest.state}, " \
                 "#{@manifest.secrets.size} secrets")
    rescue Manifest::FormatError => e
      ignore(signature, e.message)
    end

    def too_large(size)
      "manifest is #{size} bytes, more than a manifest can be (#{MAX_BYTES}); remove it"
    end

    def forget
      @log.debug("manifest #{@path} is gone") if @manifest
      @manifest = nil
      @signature = nil
    end

    # Treat as absent; remember the file so the same broken file is not parsed again on every check.
    def ignore(signature, problem)
      @manifest = nil
      @signature = signature
      return if @warned

      @warned = true
      @log.warn("manifest #{@path} ignored: #{problem}; calling Secrets Manager directly " \
                "(this warning is shown once per process)")
    end

    def signature_of(stat)
      [stat.dev, stat.ino, stat.size, stat.mtime.tv_sec, stat.mtime.tv_nsec]
    end
  end
end
