# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # One line per event, "[secrets-prefetch] LEVEL message", on the stream Lambda sends to CloudWatch (stdout).
  # Callers pass names, ids, codes and counts, never a value.
  # @api private
  class Log
    RANKS = { debug: 0, info: 1, warn: 2, error: 3, off: 4 }.freeze

    def initialize(threshold, out)
      @threshold = RANKS.fetch(threshold)
      @out = out
    end

    def enabled?(level)
      level != :off && RANKS.fetch(level) >= @threshold
    end

    def debug(message) = log(:debug, message)
    def info(message) = log(:info, message)
    def warn(message) = log(:warn, message)
    def error(message) = log(:error, message)

    private

    def log(level, message)
      # One write per line, so lines from several threads never interleave.
      @out.write("[secrets-prefetch] #{level.to_s.upcase} #{message}\n") if enabled?(level)
    end
  end
end
