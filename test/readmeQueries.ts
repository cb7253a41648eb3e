/**
 * The queries the README shows for the questions in its first paragraph, kept here so that exactly these
 * texts run against the curated seed in test/readApi.readme.test.ts. Every record they return selects
 * `sources { url }`: an answer without its sources is not an answer.
 */
export const README_QUERIES = {
  /** Who owns ByteDance, Tencent and Alibaba, and who else holds their subsidiaries (TikTok Pte. Ltd., TikTok USDS…). */
  whoOwns: /* GraphQL */ `
    query WhoOwns($ids: [ID!]!, $asOf: Date) {
      nodes(ids: $ids) {
        ... on Organization {
          id
          name
          headquarters {
            code
          }
          incorporation {
            code
          }
          sources {
            url
          }
          owners(asOf: $asOf) {
            ...Stake
          }
          holdings(asOf: $asOf) {
            id
            share {
              display
            }
            startDate
            endDate
            sources {
              url
            }
            owned {
              id
              name
              headquarters {
                code
              }
              incorporation {
                code
              }
              sources {
                url
              }
              owners(asOf: $asOf) {
                ...Stake
              }
            }
          }
        }
      }
    }
    fragment Stake on Ownership {
      id
      owner {
        id
        name
        sources {
          url
        }
      }
      share {
        display
        known
      }
      votingShare {
        display
      }
      startDate
      endDate
      confidence
      sources {
        url
      }
    }
  `,

  /** Which models DeepSeek, Alibaba (through Alibaba Cloud and the labs it holds) and Anthropic make. */
  whoMakesWhichModels: /* GraphQL */ `
    query WhoMakesWhichModels($ids: [ID!]!) {
      nodes(ids: $ids) {
        ... on Organization {
          id
          name
          sources {
            url
          }
          models {
            id
            name
            family
            releaseDate
            openWeights
            sources {
              url
            }
          }
          holdings {
            id
            share {
              display
            }
            sources {
              url
            }
            owned {
              id
              name
              sources {
                url
              }
              models {
                id
                name
                family
                releaseDate
                openWeights
                sources {
                  url
                }
              }
            }
          }
        }
      }
    }
  `,

  /** Which models were made from which: the R1-Distill models and their declared bases, R1 and what is alleged about it. */
  lineage: /* GraphQL */ `
    query Lineage {
      distills: models(filter: { family: "DeepSeek-R1-Distill" }) {
        nodes {
          id
          name
          sources {
            url
          }
          derivedFrom {
            id
            method
            basis
            sources {
              url
            }
            parent {
              id
              name
              family
              developer {
                id
                name
                sources {
                  url
                }
              }
              sources {
                url
              }
            }
          }
        }
      }
      r1: model(id: "model:deepseek-r1") {
        id
        name
        sources {
          url
        }
        derivedFrom {
          id
          method
          basis
          note
          sources {
            url
          }
          parent {
            id
            name
            sources {
              url
            }
          }
          allegation {
            id
            title
            status
            date
            response
            accusers {
              id
              name
              sources {
                url
              }
            }
            sources {
              url
            }
          }
        }
      }
    }
  `,

  /** What Anthropic's restriction says, whom it targets, which channels it reaches and whom it names. */
  anthropicRestriction: /* GraphQL */ `
    query AnthropicRestriction {
      policy(id: "policy:anthropic-unsupported-regions-2025") {
        id
        name
        kind
        summary
        announcedDate
        effectiveFrom
        sources {
          url
        }
        issuer {
          id
          name
          sources {
            url
          }
        }
        targets {
          id
          code
          name
          sources {
            url
          }
        }
        ownershipRule {
          threshold
          thresholdInclusive
          countryBasis
          includesIndirect
          aggregation
          controlCounts
          description
        }
        coversModelsOf {
          id
          name
          sources {
            url
          }
        }
        reachesChannels {
          id
          name
          kind
          operator {
            id
            name
            sources {
              url
            }
          }
          sources {
            url
          }
        }
        designations {
          id
          listName
          startDate
          endDate
          entity {
            id
            name
            sources {
              url
            }
          }
          sources {
            url
          }
        }
      }
    }
  `,

  /** Where Claude can be bought on a day: every Claude model's offerings with their channels and operators. */
  whereToBuyClaude: /* GraphQL */ `
    query WhereToBuyClaude($asOf: Date) {
      models(filter: { family: "Claude" }, first: 100) {
        nodes {
          id
          name
          releaseDate
          sources {
            url
          }
          offerings(asOf: $asOf) {
            id
            startDate
            endDate
            sources {
              url
            }
            channel {
              id
              name
              kind
              operator {
                id
                name
                sources {
                  url
                }
              }
              sources {
                url
              }
            }
          }
        }
      }
    }
  `,
} as const;
