# frozen_string_literal: true

require_relative "strict_json"
require_relative "value"

module SecretsPrefetch
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

    # What the manifest holds for one configured secret: its value or the error code of the failed fetch.
    class Entry
      attr_reader :secret_id, :arn, :requested_version_id, :requested_version_stage, :value, :error_code

      def initialize(secret_id:, arn:, requested_version_id:, requested_version_stage:, value:, error_code:)
        @secret_id = secret_id
        @arn = arn
        @requested_version_id = requested_version_id
        @requested_version_stage = requested_version_stage
        @value = value
        @error_code = error_code
        freeze
      end

      def failed?
        !error_code.nil?
      end

      def pins_version?
        !(requested_version_id.nil? && requested_version_stage.nil?)
      end

      def inspect
        "#<entry #{secret_id} #{failed? ? "error #{error_code}" : value.inspect}>"
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
    # secretId or ARN equals it; nil when there is none.
    def resolve(name)
      secrets.fetch(name) do
        secrets.each_value.find { |e| !e.pins_version? && (e.secret_id == name || e.arn == name) }
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

    # Reads the document the way the Java reader does: the syntax rules (docs/manifest.md) over the whole
    # document, the version next, then every known field with its type.
    class Parser
      def parse(bytes)
        doc = StrictJson.parse(bytes)
        raise corrupt("manifest top level must be an object, is #{describe(doc)}") unless doc.is_a?(Hash)

        check_version(doc)
        manifest(doc)
      rescue StrictJson::Invalid => e
        raise corrupt("manifest #{e.message}#{' (truncated, or not a manifest)' if e.message == StrictJson::NOT_JSON}")
      end

      private

      def check_version(doc)
        raise corrupt("manifest has no formatVersion") unless doc.key?("formatVersion")

        version = integer(doc, "formatVersion", "formatVersion")
        return if version == FORMAT_VERSION

        raise FormatError.new("manifest formatVersion #{version} is not supported (this reader knows " \
                              "#{FORMAT_VERSION}); upgrade the client to match the extension layer",
                              unknown_version: true)
      end

      def manifest(doc)
        generation = integer(doc, "generation", "field generation")
        state = string(doc, "state", "field state")
        deadline = integer(doc, "deadlineEpochMs", "field deadlineEpochMs")
        written_at = integer(doc, "writtenAtEpochMs", "field writtenAtEpochMs")
        writer = string(doc, "writer", "field writer")
        secrets = doc.key?("secrets") ? entries(doc["secrets"]) : nil
        unless %w[pending ready].include?(required(state, "state"))
          raise corrupt("manifest field state must be \"pending\" or \"ready\"")
        end
        raise corrupt("manifest field generation must be at least 1") if required(generation, "generation") < 1

        required(written_at, "writtenAtEpochMs")
        required(writer, "writer")
        if state == "pending"
          Manifest.new(generation: generation, state: :pending,
                       deadline_epoch_ms: required(deadline, "deadlineEpochMs"), secrets: {})
        else
          Manifest.new(generation: generation, state: :ready, deadline_epoch_ms: nil,
                       secrets: required(secrets, "secrets"))
        end
      end

      def entries(node)
        raise corrupt("manifest secrets must be an object, is #{describe(node)}") unless node.is_a?(Hash)

        node.each_with_index.to_h { |(name, entry), index| [name.dup.freeze, entry(index + 1, entry)] }
      end

      # Entries are named by position: a name is file content, and may be anything (docs/manifest.md).
      def entry(position, node)
        where = "secrets entry #{position}"
        raise corrupt("manifest #{where} must be an object, is #{describe(node)}") unless node.is_a?(Hash)

        at = "#{where} field"
        string_array(node, "versionStages", "#{at} versionStages")
        %w[arn versionId].each { |field| string(node, field, "#{at} #{field}") }
        values = []
        values << Value.text(string(node, "secretString", "#{at} secretString")) if node.key?("secretString")
        if node.key?("secretBinary")
          values << Value.binary(base64(string(node, "secretBinary", "#{at} secretBinary"), at))
        end
        values << error_code(node["error"], "#{at} error") if node.key?("error")
        unless values.size == 1
          raise corrupt("manifest #{where} must have exactly one of secretString, secretBinary and error, " \
                        "has #{values.size}")
        end

        required(integer(node, "fetchedAtEpochMs", "#{at} fetchedAtEpochMs"), "#{where} field fetchedAtEpochMs")
        code = values.first.is_a?(String) ? values.first : nil
        Entry.new(secret_id: required(string(node, "secretId", "#{at} secretId"), "#{where} field secretId").freeze,
                  arn: string(node, "arn", "#{at} arn")&.freeze,
                  requested_version_id: string(node, "requestedVersionId", "#{at} requestedVersionId")&.freeze,
                  requested_version_stage: string(node, "requestedVersionStage", "#{at} requestedVersionStage")&.freeze,
                  value: code ? nil : values.first, error_code: code&.freeze)
      end

      def error_code(node, where)
        raise corrupt("manifest #{where} must be an object, is #{describe(node)}") unless node.is_a?(Hash)

        string(node, "message", "#{where}.message")
        required(string(node, "code", "#{where}.code"), "#{where}.code")
      end

      def base64(text, where)
        # Canonical base64 with its padding complete or left out, as the Java reader accepts it.
        padded = text.include?("=") ? text : text + ("=" * (-text.length % 4))
        padded.unpack1("m0")
      rescue ArgumentError
        raise corrupt("manifest #{where} secretBinary is not valid base64"), cause: nil
      end

      def integer(node, field, where)
        return nil unless node.key?(field)

        value = node[field]
        raise corrupt("manifest #{where} must be an integer, is #{describe(value)}") unless value.is_a?(Integer)
        unless INT64.cover?(value)
          raise corrupt("manifest #{where} must be an integer from #{INT64.begin} to #{INT64.end}")
        end

        value
      end

      def string_array(node, field, where)
        return nil unless node.key?(field)

        value = node[field]
        raise corrupt("manifest #{where} must be an array, is #{describe(value)}") unless value.is_a?(Array)

        value.each do |item|
          raise corrupt("manifest #{where}[] must be a string, is #{describe(item)}") unless item.is_a?(String)
        end
      end

      def string(node, field, where)
        return nil unless node.key?(field)

        value = node[field]
        raise corrupt("manifest #{where} must be a string, is #{describe(value)}") unless value.is_a?(String)

        value
      end

      def required(value, what)
        raise corrupt("manifest has no #{what}") if value.nil?

        value
      end

      def corrupt(message)
        FormatError.new(message)
      end

      def describe(value)
        case value
        when Hash then "an object"
        when Array then "an array"
        when String then "a string"
        when Integer then "an integer"
        when Float then "a decimal number"
        when true, false then "a boolean"
        when nil then "null"
        else value.class.name
        end
      end
    end
    private_constant :Parser
  end
end
