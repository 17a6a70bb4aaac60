import type { ReturnRequestStatus, TransportMode, TripStatus, WorkerStatus } from '../../generated/graphql';
import type { Messages } from '../../i18n/language';

/** The enterprise screen's messages. */
export const ENTERPRISE_MESSAGES: Messages<
  | 'title'
  | 'noEnterprise'
  | 'keyEnterprise'
  | 'enterpriseNotFound'
  | 'errorsTitle'
  | 'demandTitle'
  | 'openings'
  | 'filled'
  | 'fillRate'
  | 'newOpenings'
  | 'newFilled'
  | 'reportDemand'
  | 'demandReported'
  | 'postsTitle'
  | 'noPosts'
  | 'postTitle'
  | 'postRegion'
  | 'postsMayBeMore'
  | 'fileTitle'
  | 'workerName'
  | 'idNumber'
  | 'idNumberHint'
  | 'phone'
  | 'phoneHint'
  | 'homeRegion'
  | 'regionHint'
  | 'departureRegion'
  | 'departureSameAsHome'
  | 'plannedReturnDate'
  | 'jobPost'
  | 'noJobPost'
  | 'fileSubmit'
  | 'filed'
  | 'confirmOnPost'
  | 'confirmOnPostOf'
  | 'withdraw'
  | 'withdrawOf'
  | 'withdrawReason'
  | 'withdrawReasonOf'
  | 'cancel'
  | 'requestsTitle'
  | 'live'
  | 'reconnecting'
  | 'connecting'
  | 'countsByStatus'
  | 'lastUpdate'
  | 'loading'
  | 'noRequests'
  | 'shownOf'
  | 'shown'
  | 'homeRegionColumn'
  | 'departureRegionColumn'
  | 'loadMore'
  | 'worker'
  | 'status'
  | 'workerStatus'
  | 'trip'
  | 'tripFrom'
  | 'eta'
  | 'arrivedAt'
  | 'etaIn'
  | 'etaOverdue'
  | 'updatedAt'
  | 'actions'
  | 'unknown'
  | 'unknownRegion'
  | 'postJobTitle'
  | 'jobTitle'
  | 'jobOpenings'
  | 'jobRegion'
  | 'jobFrom'
  | 'jobFromHint'
  | 'jobSkills'
  | 'jobSkillsHint'
  | 'postJob'
  | 'jobPosted'
> = {
  zh: {
    title: '企业返岗服务',
    noEnterprise: '当前登录身份不是企业（令牌中没有企业编号或所在地区）',
    keyEnterprise: '重点企业',
    enterpriseNotFound: '找不到本企业的登记信息',
    errorsTitle: '部分数据未能获取：',
    demandTitle: '用工需求',
    openings: '岗位数',
    filled: '已到岗',
    fillRate: '满岗率',
    newOpenings: '当前岗位数',
    newFilled: '其中已到岗（可不填）',
    reportDemand: '上报用工需求',
    demandReported: '用工需求已更新',
    postsTitle: '招聘岗位',
    noPosts: '暂无招聘岗位',
    postTitle: '岗位',
    postRegion: '工作地点',
    postsMayBeMore: '本省岗位较多，仅显示前 100 条中的本企业岗位',
    fileTitle: '提交返岗申请',
    workerName: '姓名',
    idNumber: '居民身份证号',
    idNumberHint: '18 位居民身份证号码',
    phone: '手机号码',
    phoneHint: '11 位手机号码',
    homeRegion: '户籍地（行政区划代码）',
    regionHint: '6 位行政区划代码，如 411602',
    departureRegion: '出发地（行政区划代码）',
    departureSameAsHome: '默认同户籍地',
    plannedReturnDate: '计划返岗日期',
    jobPost: '招聘岗位',
    noJobPost: '（不指定）',
    fileSubmit: '提交申请',
    filed: '已为 {name} 提交返岗申请',
    confirmOnPost: '确认到岗',
    confirmOnPostOf: '确认 {name} 到岗',
    withdraw: '撤回',
    withdrawOf: '撤回 {name} 的申请',
    withdrawReason: '撤回原因',
    withdrawReasonOf: '撤回 {name} 的申请的原因',
    cancel: '取消',
    requestsTitle: '返岗申请',
    live: '● 实时更新',
    reconnecting: '连接中断，正在重连…',
    connecting: '正在连接…',
    countsByStatus: '各状态申请数',
    lastUpdate: '最新变化：{name} → {status}（{at}）',
    loading: '加载中…',
    noRequests: '尚未提交返岗申请',
    shownOf: '显示 {shown} 条，共 {total} 条',
    shown: '共 {shown} 条',
    homeRegionColumn: '户籍地',
    departureRegionColumn: '出发地',
    loadMore: '加载更多',
    worker: '工人',
    status: '申请状态',
    workerStatus: '工人状态',
    trip: '行程',
    tripFrom: '自 {origin}',
    eta: '预计到达（北京时间）',
    arrivedAt: '已于 {at} 到达',
    etaIn: '约 {h} 小时 {m} 分钟后到达',
    etaOverdue: '已超出预计 {h} 小时 {m} 分钟',
    updatedAt: '更新时间',
    actions: '操作',
    unknown: '未知',
    unknownRegion: '找不到该行政区划',
    postJobTitle: '发布招聘岗位',
    jobTitle: '岗位名称',
    jobOpenings: '招聘人数',
    jobRegion: '工作地点（行政区划代码）',
    jobFrom: '招聘来源地（行政区划代码）',
    jobFromHint: '以逗号或空格分隔，1 至 31 个，如 410000, 450200',
    jobSkills: '技能要求（可不填）',
    jobSkillsHint: '以逗号分隔，不填表示不限',
    postJob: '发布岗位',
    jobPosted: '已发布岗位：{title}',
  },
  en: {
    title: 'Enterprise return-to-work service',
    noEnterprise: 'The signed-in caller is not an enterprise (its token has no enterprise id or region)',
    keyEnterprise: 'Key enterprise',
    enterpriseNotFound: "The enterprise's record was not found",
    errorsTitle: 'Some data could not be read:',
    demandTitle: 'Labour demand',
    openings: 'Openings',
    filled: 'Filled',
    fillRate: 'Fill rate',
    newOpenings: 'Current openings',
    newFilled: 'Of which filled (optional)',
    reportDemand: 'Report labour demand',
    demandReported: 'Labour demand updated',
    postsTitle: 'Job posts',
    noPosts: 'No job posts',
    postTitle: 'Post',
    postRegion: 'Place of work',
    postsMayBeMore: "The province has many posts: only this enterprise's among the first 100 are shown",
    fileTitle: 'File a return request',
    workerName: 'Name',
    idNumber: 'Resident ID number',
    idNumberHint: 'The 18-character resident ID number',
    phone: 'Mobile phone',
    phoneHint: 'An 11-digit mobile number',
    homeRegion: 'Home region (region code)',
    regionHint: 'A 6-digit region code, e.g. 411602',
    departureRegion: 'Departure region (region code)',
    departureSameAsHome: 'The home region if empty',
    plannedReturnDate: 'Planned return date',
    jobPost: 'Job post',
    noJobPost: '(none)',
    fileSubmit: 'File request',
    filed: 'Return request filed for {name}',
    confirmOnPost: 'Confirm on post',
    confirmOnPostOf: 'Confirm {name} on post',
    withdraw: 'Withdraw',
    withdrawOf: 'Withdraw the request for {name}',
    withdrawReason: 'Reason',
    withdrawReasonOf: 'Why the request for {name} is withdrawn',
    cancel: 'Cancel',
    requestsTitle: 'Return requests',
    live: '● Live',
    reconnecting: 'Connection lost, reconnecting…',
    connecting: 'Connecting…',
    countsByStatus: 'Requests by status',
    lastUpdate: 'Latest change: {name} → {status} ({at})',
    loading: 'Loading…',
    noRequests: 'No return request filed yet',
    shownOf: '{shown} shown of {total}',
    shown: '{shown} in all',
    homeRegionColumn: 'Home',
    departureRegionColumn: 'Departs from',
    loadMore: 'Load more',
    worker: 'Worker',
    status: 'Request status',
    workerStatus: 'Worker status',
    trip: 'Trip',
    tripFrom: 'from {origin}',
    eta: 'Expected arrival (Beijing time)',
    arrivedAt: 'Arrived {at}',
    etaIn: 'in about {h} h {m} min',
    etaOverdue: 'overdue by {h} h {m} min',
    updatedAt: 'Updated',
    actions: 'Actions',
    unknown: 'Unknown',
    unknownRegion: 'No such region',
    postJobTitle: 'Post a job',
    jobTitle: 'Job title',
    jobOpenings: 'Openings',
    jobRegion: 'Place of work (region code)',
    jobFrom: 'Recruits from (region codes)',
    jobFromHint: 'Separated by commas or spaces, 1 to 31, e.g. 410000, 450200',
    jobSkills: 'Skills (optional)',
    jobSkillsHint: 'Separated by commas; none: any worker',
    postJob: 'Post job',
    jobPosted: 'Job posted: {title}',
  },
};

/** A return request's status, in words. */
export const REQUEST_STATUS_MESSAGES: Messages<ReturnRequestStatus> = {
  zh: {
    FILED: '已提交',
    ACKNOWLEDGED: '户籍地已受理',
    ARRANGED: '已安排行程',
    ON_POST: '已到岗',
    WITHDRAWN: '已撤回',
    DECLINED: '工人已谢绝',
  },
  en: {
    FILED: 'Filed',
    ACKNOWLEDGED: 'Acknowledged by home province',
    ARRANGED: 'Trip arranged',
    ON_POST: 'On post',
    WITHDRAWN: 'Withdrawn',
    DECLINED: 'Declined by the worker',
  },
};

/** A worker's status in his home province's record. */
export const WORKER_STATUS_MESSAGES: Messages<WorkerStatus> = {
  zh: { AT_HOME: '在家', TRAVELLING: '在途', AT_WORK: '在岗', OBSERVATION: '医学观察' },
  en: { AT_HOME: 'At home', TRAVELLING: 'Travelling', AT_WORK: 'At work', OBSERVATION: 'Under observation' },
};

/** A trip's status. */
export const TRIP_STATUS_MESSAGES: Messages<TripStatus> = {
  zh: {
    PLANNED: '已计划',
    DEPARTED: '已出发',
    ARRIVED: '已到达',
    HANDED_OVER: '已交接',
    CANCELLED: '已取消',
  },
  en: {
    PLANNED: 'Planned',
    DEPARTED: 'Departed',
    ARRIVED: 'Arrived',
    HANDED_OVER: 'Handed over',
    CANCELLED: 'Cancelled',
  },
};

/** A means of transport. */
export const TRANSPORT_MODE_MESSAGES: Messages<TransportMode> = {
  zh: { BUS: '大巴', TRAIN: '列车', FLIGHT: '航班' },
  en: { BUS: 'Bus', TRAIN: 'Train', FLIGHT: 'Flight' },
};
