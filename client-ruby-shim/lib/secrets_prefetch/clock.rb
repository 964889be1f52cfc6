# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # Time as the shim needs it; tests hand in their own.
  # @api private
  class Clock
    # Milliseconds on a clock that never jumps, for intervals.
    def monotonic_ms
      Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond)
    end

    # Milliseconds since the epoch, to compare with the manifest's deadlineEpochMs.
    def epoch_ms
      Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    end

    def sleep_ms(millis)
      sleep(millis / 1000.0)
    end
  end
end
