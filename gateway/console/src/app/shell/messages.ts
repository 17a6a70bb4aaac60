import type { Messages } from '../i18n/language';

/** The shell's messages (header, navigation, sign-in). */
export const SHELL_MESSAGES: Messages<
  | 'title'
  | 'nation'
  | 'arrivals'
  | 'worklist'
  | 'enterprise'
  | 'graphiql'
  | 'signOut'
  | 'signIn'
  | 'signInTitle'
  | 'signInDevelopment'
  | 'signInOidc'
  | 'loading'
  | 'configFailed'
  | 'language'
  | 'mainNav'
  | 'notAllowed'
> = {
  zh: {
    title: '点对点返岗数据枢纽',
    nation: '全国概览',
    arrivals: '到达看板',
    worklist: '工作清单',
    enterprise: '企业',
    graphiql: 'GraphQL 调试',
    signOut: '退出',
    signIn: '登录',
    signInTitle: '登录控制台',
    signInDevelopment: '开发环境：选择一个角色登录（使用开发令牌）',
    signInOidc: '通过统一身份认证登录',
    loading: '加载中…',
    configFailed: '无法读取控制台配置',
    language: 'English',
    mainNav: '主导航',
    notAllowed: '当前角色无权查看此页面',
  },
  en: {
    title: 'Point-to-point return-to-work hub',
    nation: 'Nation',
    arrivals: 'Arrivals board',
    worklist: 'Worklist',
    enterprise: 'Enterprise',
    graphiql: 'GraphQL IDE',
    signOut: 'Sign out',
    signIn: 'Sign in',
    signInTitle: 'Sign in to the console',
    signInDevelopment: 'Development: sign in as a role (development tokens)',
    signInOidc: 'Sign in with the identity provider',
    loading: 'Loading…',
    configFailed: 'The console configuration could not be read',
    language: '中文',
    mainNav: 'Main navigation',
    notAllowed: 'This role may not see this page',
  },
};
