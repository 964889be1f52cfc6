# frozen_string_literal: true

module SecretsPrefetch
  # Where a region's Secrets Manager is, for the signed fallback: the override AWS_ENDPOINT_URL_SECRETS_MANAGER,
  # else what the AWS SDKs' Secrets Manager endpoint rules give for the region's partition, with FIPS and
  # dual-stack as AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT ask, exactly as the extension resolves it.
  # fixtures/client-contract/endpoints.json, generated with the AWS SDK for Java's endpoint provider, pins every case.
  # @api private
  module Endpoint
    # The partitions (the SDKs' partitions.json): name, pseudo-region naming the whole partition, the pattern of
    # its region names, DNS suffix and dual-stack DNS suffix. A region in none of them is in "aws".
    Partition = Struct.new(:name, :global_region, :pattern, :dns_suffix, :dual_stack_dns_suffix)
    PARTITIONS = [
      Partition.new("aws", "aws-global", /\A(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+\z/, "amazonaws.com", "api.aws"),
      Partition.new("aws-cn", "aws-cn-global", /\Acn-\w+-\d+\z/, "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
      Partition.new("aws-us-gov", "aws-us-gov-global", /\Aus-gov-\w+-\d+\z/, "amazonaws.com", "api.aws"),
      Partition.new("aws-iso", "aws-iso-global", /\Aus-iso-\w+-\d+\z/, "c2s.ic.gov", "api.aws.ic.gov"),
      Partition.new("aws-iso-b", "aws-iso-b-global", /\Aus-isob-\w+-\d+\z/, "sc2s.sgov.gov", "api.aws.scloud"),
      Partition.new("aws-iso-e", "aws-iso-e-global", /\Aeu-isoe-\w+-\d+\z/, "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"),
      Partition.new("aws-iso-f", "aws-iso-f-global", /\Aus-isof-\w+-\d+\z/, "csp.hci.ic.gov", "api.aws.hci.ic.gov"),
      Partition.new("aws-eusc", nil, /\Aeusc-de-\w+-\d+\z/, "amazonaws.eu", "api.amazonwebservices.eu")
    ].freeze
    # Partitions whose dual-stack Secrets Manager endpoints keep the ordinary DNS suffix (the service's rules).
    DUAL_STACK_ON_DNS_SUFFIX = %w[aws aws-cn aws-us-gov].freeze
    FIPS_DUAL_STACK_ON_DNS_SUFFIX = %w[aws aws-us-gov].freeze
    # A region name as a host name label sequence; anything else would change the URL's meaning.
    REGION = /\A[a-z0-9]+(-[a-z0-9]+)*\z/.freeze
    private_constant :Partition, :PARTITIONS, :DUAL_STACK_ON_DNS_SUFFIX, :FIPS_DUAL_STACK_ON_DNS_SUFFIX, :REGION

    module_function

    # The https:// URL (or the override) for +region+ under +aws+ (an AwsConfig, which refuses FIPS or dual-stack
    # together with an override).
    # @raise [ConfigError] for a malformed region
    def url(region, aws, name)
      return aws.endpoint if aws.endpoint
      unless REGION.match?(region)
        raise ConfigError.new("secret \"#{name}\": #{region.inspect} is not an AWS region name (such as us-east-1); " \
                              "check #{Config::REGION} and the secret's ARN", secret_name: name)
      end

      "https://#{host(region, partition(region), aws.fips, aws.dual_stack)}"
    end

    def partition(region)
      PARTITIONS.find { |p| p.global_region == region } || PARTITIONS.find { |p| p.pattern.match?(region) } ||
        PARTITIONS.first
    end

    def host(region, partition, fips, dual_stack)
      if fips && dual_stack
        "secretsmanager-fips.#{region}.#{dual_stack_suffix(partition, FIPS_DUAL_STACK_ON_DNS_SUFFIX)}"
      elsif fips
        "secretsmanager-fips.#{region}.#{partition.dns_suffix}"
      elsif dual_stack
        "secretsmanager.#{region}.#{dual_stack_suffix(partition, DUAL_STACK_ON_DNS_SUFFIX)}"
      else
        "secretsmanager.#{region}.#{partition.dns_suffix}"
      end
    end
    def dual_stack_suffix(partition, on_dns_suffix)
      on_dns_suffix.include?(partition.name) ? partition.dns_suffix : partition.dual_stack_dns_suffix
    end
    private_class_method :partition, :host, :dual_stack_suffix
  end
end
