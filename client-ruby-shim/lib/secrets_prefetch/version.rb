# frozen_string_literal: true

module SecretsPrefetch
  VERSION = "0.1.0"
end
