# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # Where a region's Secrets Manager (or SSM) is, for the signed fallback: the override
  # AWS_ENDPOINT_URL_SECRETS_MANAGER (AWS_ENDPOINT_URL_SSM), else what the AWS SDKs' endpoint rules of the service
  # give for the region's partition, with FIPS and dual-stack as AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT
  # ask, exactly as the extension resolves it. fixtures/client-contract/endpoints.json, generated with the AWS SDK
  # for Java's endpoint provider, pins every Secrets Manager case; SSM's rules differ only in the table below.
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
    # How a service's rules differ between partitions: its host prefix; the partitions whose dual-stack (and FIPS
    # dual-stack) endpoints keep the ordinary DNS suffix; the partitions whose FIPS endpoint is the plain host.
    Service = Struct.new(:host, :dual_stack_on_dns_suffix, :fips_dual_stack_on_dns_suffix, :fips_on_plain_host)
    SERVICES = {
      secretsmanager: Service.new("secretsmanager", %w[aws aws-cn aws-us-gov], %w[aws aws-us-gov], []),
      ssm: Service.new("ssm", [], [], %w[aws-us-gov])
    }.freeze
    # A region name as a host name label sequence; anything else would change the URL's meaning.
    REGION = /\A[a-z0-9]+(-[a-z0-9]+)*\z/.freeze
    private_constant :Partition, :PARTITIONS, :Service, :SERVICES, :REGION

    module_function

    # The https:// URL (or the override) of +service+ (:secretsmanager or :ssm) for +region+ under +aws+ (an
    # AwsConfig, which refuses FIPS or dual-stack together with an override).
    # @raise [ConfigError] for a malformed region
    def url(region, aws, name, service = :secretsmanager)
      override = service == :ssm ? aws.ssm_endpoint : aws.endpoint
      return override if override
      unless REGION.match?(region)
        raise ConfigError.new("secret \"#{name}\": #{region.inspect} is not an AWS region name (such as us-east-1); " \
                              "check #{AwsConfig::REGION} and the secret's ARN", secret_name: name)
      end

      "https://#{host(region, partition(region), aws.fips, aws.dual_stack, SERVICES.fetch(service))}"
    end

    def partition(region)
      PARTITIONS.find { |p| p.global_region == region } || PARTITIONS.find { |p| p.pattern.match?(region) } ||
        PARTITIONS.first
    end

    def host(region, partition, fips, dual_stack, service)
      plain_fips = service.fips_on_plain_host.include?(partition.name) && !dual_stack
      prefix = fips && !plain_fips ? "#{service.host}-fips" : service.host
      suffix = if !dual_stack then partition.dns_suffix
               elsif fips then dual_stack_suffix(partition, service.fips_dual_stack_on_dns_suffix)
               else dual_stack_suffix(partition, service.dual_stack_on_dns_suffix)
               end
      "#{prefix}.#{region}.#{suffix}"
    end

    def dual_stack_suffix(partition, on_dns_suffix)
      on_dns_suffix.include?(partition.name) ? partition.dns_suffix : partition.dual_stack_dns_suffix
    end
    private_class_method :partition, :host, :dual_stack_suffix
  end
end
