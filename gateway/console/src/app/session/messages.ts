import type { Messages } from '../i18n/language';

/** The sign-in page's messages (development picker, identity provider, not configured). */
export const SESSION_MESSAGES: Messages<
  | 'title'
  | 'development'
  | 'developmentHint'
  | 'role'
  | 'region'
  | 'enterprise'
  | 'nationwide'
  | 'roleMinistry'
  | 'roleProvince'
  | 'roleCity'
  | 'roleEnterprise'
  | 'roleWorker'
  | 'noRoles'
  | 'oidc'
  | 'oidcButton'
  | 'oidcRedirecting'
  | 'oidcChecking'
  | 'noneTitle'
  | 'noneText'
  | 'noneIssuer'
  | 'noneClient'
  | 'noneOptional'
  | 'noneDevelopment'
  | 'signedOut'
  | 'expired'
  | 'refused'
  | 'failed'
> = {
  zh: {
    title: '登录控制台',
    development: '开发环境：选择一个角色登录',
    developmentHint: '这些角色使用网关在开发模式下签发的开发令牌（npm start 打印的令牌）。',
    role: '角色',
    region: '地区',
    enterprise: '企业编号',
    nationwide: '全国',
    roleMinistry: '国家部委',
    roleProvince: '省级',
    roleCity: '市县',
    roleEnterprise: '企业',
    roleWorker: '务工人员',
    noRoles: '网关没有提供开发角色。',
    oidc: '请通过统一身份认证平台登录。',
    oidcButton: '通过统一身份认证登录',
    oidcRedirecting: '正在前往身份认证平台…',
    oidcChecking: '正在检查登录状态…',
    noneTitle: '尚未配置登录方式',
    noneText: '此网关运行在生产模式，但没有配置身份认证平台，因此无法登录控制台。请在网关的环境中设置：',
    noneIssuer: '身份认证平台的签发者（与 AUTH_ISSUER 相同，其密钥由 AUTH_JWKS_URL 提供）',
    noneClient: '控制台在该平台上的客户端编号（公共客户端，授权码 + PKCE，回调地址 {callback}）',
    noneOptional:
      '可选：CONSOLE_OIDC_SCOPE（默认 openid）、CONSOLE_OIDC_RESOURCE（访问令牌的资源指示符，即 AUTH_AUDIENCE）。',
    noneDevelopment: '在开发环境中（npm start 或 P2P_DEV=1），控制台提供角色选择登录。',
    signedOut: '您已退出登录。',
    expired: '登录已过期，请重新登录。',
    refused: '网关拒绝了您的令牌，请重新登录',
    failed: '登录失败',
  },
  en: {
    title: 'Sign in to the console',
    development: 'Development: sign in as a role',
    developmentHint:
      'These roles use development tokens the gateway signs in development mode (the tokens npm start prints).',
    role: 'Role',
    region: 'Region',
    enterprise: 'Enterprise id',
    nationwide: 'Nationwide',
    roleMinistry: 'Ministry',
    roleProvince: 'Province',
    roleCity: 'City or county',
    roleEnterprise: 'Enterprise',
    roleWorker: 'Worker',
    noRoles: 'The gateway offers no development roles.',
    oidc: 'Sign in with the identity provider.',
    oidcButton: 'Sign in with the identity provider',
    oidcRedirecting: 'Going to the identity provider…',
    oidcChecking: 'Checking whether you are signed in…',
    noneTitle: 'No sign-in is configured',
    noneText:
      'This gateway runs in production mode without an identity provider, so nobody can sign in to the console. Set in the gateway’s environment:',
    noneIssuer: 'the identity provider’s issuer (the same as AUTH_ISSUER, its keys at AUTH_JWKS_URL)',
    noneClient:
      'the console’s client id at that provider (a public client, authorization code + PKCE, redirect URI {callback})',
    noneOptional:
      'Optional: CONSOLE_OIDC_SCOPE (default openid), CONSOLE_OIDC_RESOURCE (the access token’s resource indicator, i.e. AUTH_AUDIENCE).',
    noneDevelopment: 'In development (npm start or P2P_DEV=1) the console offers a role picker instead.',
    signedOut: 'You are signed out.',
    expired: 'Your session expired; please sign in again.',
    refused: 'The gateway refused your token; please sign in again',
    failed: 'Sign-in failed',
  },
};
