# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

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

    # What the manifest holds for one configured secret or SSM parameter: its value or the error code of the
    # failed fetch. A secret entry has a +secret_id+, a parameter entry a +parameter+ (with its selector, if any).
    class Entry
      attr_reader :secret_id, :parameter, :arn, :requested_version_id, :requested_version_stage, :value, :error_code

      def initialize(secret_id:, arn:, requested_version_id:, requested_version_stage:, value:, error_code:,
                     parameter: nil, pins_parameter_version: false)
        @secret_id = secret_id
        @parameter = parameter
        @arn = arn
        @requested_version_id = requested_version_id
        @requested_version_stage = requested_version_stage
        @pins_parameter_version = pins_parameter_version
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
        node.each_with_index.to_h { |(name, entry), index| [name.dup.freeze, entry(index + 1, entry)] }
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
        node.key?("parameter") ? parameter_entry(node, where) : secret_entry(node, where)
      end

      def secret_entry(node, where)
        Entry.new(secret_id: node["secretId"].dup.freeze, arn: node["arn"]&.dup&.freeze,
                  requested_version_id: node["requestedVersionId"]&.dup&.freeze,
                  requested_version_stage: node["requestedVersionStage"]&.dup&.freeze, **value(node, where))
      end

      def parameter_entry(node, where)
        if node.key?("secretBinary")
          raise corrupt("manifest #{where} is a parameter with a secretBinary; an SSM parameter's value is text")
        end

        Entry.new(secret_id: nil, parameter: node["parameter"].dup.freeze, arn: node["arn"]&.dup&.freeze,
                  requested_version_id: nil, requested_version_stage: nil,
                  pins_parameter_version: node.key?("requestedVersion") || node.key?("requestedLabel"),
                  **value(node, where))
      end

      def value(node, where)
        if node.key?("secretString")
          { value: Value.text(node["secretString"]), error_code: nil }
        elsif node.key?("secretBinary")
          { value: Value.binary(base64(node["secretBinary"], where)), error_code: nil }
        else
          error = typed(node["error"], ERROR, "manifest #{where} field error.")
          { value: nil, error_code: required(error, "code", "#{where} field error.code").dup.freeze }
        end
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
end
