/**
 * The Segment Public API's wire shapes for Functions, as the contract notes
 * (shared/design/segment-public-api.md) record them from the generated SDKs. Every field
 * is optional where the SDK model says so: the client must cope with what is missing.
 */

export const RESOURCE_TYPES = ['DESTINATION', 'INSERT_DESTINATION', 'INSERT_SOURCE', 'INSERT_TRANSFORMATION', 'SOURCE'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export type WireSettingType = 'ARRAY' | 'BOOLEAN' | 'STRING' | 'TEXT_MAP';

/** FunctionSettingV1. */
export interface WireSetting {
  name: string;
  label: string;
  description: string;
  type: WireSettingType;
  required: boolean;
  sensitive: boolean;
}

/** FunctionV1 (plus the undeclared fields real responses carry). */
export interface WireFunction {
  id?: string;
  resourceType?: ResourceType;
  createdAt?: string;
  createdBy?: string;
  code?: string;
  deployedAt?: string | null;
  settings?: WireSetting[];
  displayName?: string;
  description?: string;
  logoUrl?: string;
  previewWebhookUrl?: string;
  batchMaxCount?: number;
  catalogId?: string;
  isLatestVersion?: boolean;
  workspaceId?: string;
  buildpack?: string;
}

/** ListFunctionItemV1: no code, settings or deployment fields. */
export type WireFunctionListItem = Pick<WireFunction, 'id' | 'resourceType' | 'createdAt' | 'createdBy' | 'displayName' | 'description' | 'logoUrl' | 'catalogId'>;

/** Version (alpha). */
export interface WireVersion {
  id: string;
  code: string;
  author?: string;
  isDeployed?: boolean;
  createdAt?: string;
  updatedAt?: string;
  deployedAt?: string;
}

export interface WirePagination {
  current: string;
  next?: string | null;
  previous?: string | null;
  totalEntries?: number;
}

export interface WireError {
  type: string;
  message?: string;
  field?: string;
  data?: unknown;
  status?: number;
}

export interface WireErrorEnvelope {
  errors: WireError[];
}

export interface CreateFunctionInput {
  code: string;
  displayName: string;
  resourceType: ResourceType;
  settings?: WireSetting[];
  logoUrl?: string;
  description?: string;
}

export type UpdateFunctionInput = Partial<Pick<WireFunction, 'code' | 'settings' | 'displayName' | 'logoUrl' | 'description'>>;

/** Id prefix per resource type [SDK][OBSERVED]; INSERT_TRANSFORMATION's is not known. */
export const ID_PREFIX: Readonly<Record<ResourceType, string>> = {
  SOURCE: 'sfnc_',
  DESTINATION: 'dfn_',
  INSERT_DESTINATION: 'ifnd_',
  INSERT_SOURCE: 'ifns_',
  INSERT_TRANSFORMATION: 'ifnt_',
};

/** Types whose display name the API suffixes with " (<workspace name>)" [SDK note][terraform PR #192]. */
export function hasNameSuffix(type: ResourceType | undefined): boolean {
  return type === 'DESTINATION' || type === 'INSERT_DESTINATION' || type === 'INSERT_SOURCE';
}

/** Media types the API accepts besides application/json (v1 forms the SDKs use). */
export const JSON_MEDIA_TYPE = /^application\/(?:vnd\.segment\.v1(?:alpha|beta)?\+)?json\b/i;
