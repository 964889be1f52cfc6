# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

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
end
