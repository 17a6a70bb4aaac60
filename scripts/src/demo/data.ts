/**
 * The demo: spring 2020, the "point-to-point" return to work, over five provinces
 * (Beijing 110000, Hebei 130000, Henan 410000, Guangdong 440000, Guangxi 450000).
 *
 * What the 2020 reports said, and what this data mirrors:
 * - Guangxi sent its workers back "point to point": 14 cities, 517 chartered buses and 7 special
 *   trains carrying 23,930 workers, many to Guangdong (Shenzhen, Dongguan, Guangzhou); workers
 *   from registered-poor households (建档立卡) were the priority. Here: a Liuzhou special train
 *   to Shenzhen (handed over), a Liuzhou bus to Guangzhou (on the road, ETA changed) and a bus
 *   cancelled when the receiving enterprise postponed its restart.
 * - Hebei chartered buses took its workers to Chengdu, Yiwu and Dalian; Hebei also counted its
 *   workers daily in five flow classes (within the township, the county, the city, the
 *   province, another province): one worker of each class reports his employment here.
 * - Zhoukou (Henan) sent a bus of workers from Shenqiu and Dancheng to Huailai (Hebei).
 * - Beijing enterprises, key enterprises first, filed the workers they needed back (name,
 *   contact, planned return date, departure place) and the record went to the home province.
 * - The ministry followed national totals daily (4.1 million moved point-to-point; key
 *   enterprises 1,330 → 9,138; 370,000 recruited, 75% of the gaps).
 * Vehicle numbers, times, enterprises and head counts are illustrative (small, so a demo stays
 * readable); every person is fictitious: names invented, resident ID numbers built with a valid
 * check digit over a real county code, phones in the 139 0000 xxxx range.
 *
 * Not used: Dongguan (441900), where the 2020 trains also went, because the region data of
 * @p2p/schema lists it as its own parent (reported to the schema owner).
 */
import type { DemoData, DemoEnterprise, DemoHealth, DemoReturnRequest, DemoTrip, DemoWorker } from './model.js';

/** The five provinces of `npm start`. */
export const DEMO_PROVINCES = ['110000', '130000', '410000', '440000', '450000'] as const;

const enterprises: DemoEnterprise[] = [
  { key: 'bj-build', name: '京华建工集团(示例)', region: '110105003', sector: '建筑业', keyEnterprise: true, openings: 120, filled: 85 },
  { key: 'bj-logistics', name: '亦庄京南物流园(示例)', region: '110115004', sector: '物流', keyEnterprise: true, openings: 60, filled: 20 },
  { key: 'bj-property', name: '通州新华物业服务(示例)', region: '110112002', sector: '物业服务', keyEnterprise: false, openings: 30, filled: 12 },
  { key: 'gd-electronics', name: '宝安西乡电子制造(示例)', region: '440306018', sector: '电子制造', keyEnterprise: true, openings: 800, filled: 560 },
  { key: 'gd-garment', name: '番禺市桥服装(示例)', region: '440113007', sector: '纺织服装', keyEnterprise: false, openings: 200, filled: 90 },
  { key: 'hb-huailai', name: '怀来沙城葡萄酒业(示例)', region: '130730100', sector: '食品制造', keyEnterprise: true, openings: 40, filled: 6 },
  { key: 'hb-wuan-steel', name: '武安钢铁(示例)', region: '130481100', sector: '钢铁', keyEnterprise: true, openings: 300, filled: 210 },
  { key: 'gx-auto-parts', name: '柳州城中汽车零部件(示例)', region: '450202001', sector: '汽车制造', keyEnterprise: true, openings: 150, filled: 118 },
];

/** Green code and a negative test the day before a departure. */
const cleared = (testedAt: string): DemoHealth => ({ code: 'GREEN', testedAt, nucleicAcid: 'NEGATIVE' });
const P = 'REGISTERED_POOR' as const;
const L = 'LIFTED' as const;
const N = 'NONE' as const;

const workers: DemoWorker[] = [
  // Guangxi, Liuzhou: the special train to Shenzhen (融水, 三江, 柳城, 鹿寨)
  { key: 'gx-01', name: '韦春生', home: '450225101', birth: '19870412', seq: 31, poverty: P, skills: ['电子装配'], health: cleared('2020-02-19T09:00:00+08:00'), works: { region: '440306018', enterprise: 'gd-electronics' } },
  { key: 'gx-02', name: '潘秀英', home: '450225102', birth: '19920708', seq: 46, poverty: P, skills: ['电子装配'], health: cleared('2020-02-19T09:20:00+08:00'), works: { region: '440306018', enterprise: 'gd-electronics' } },
  { key: 'gx-03', name: '吴海燕', home: '450226101', birth: '19950219', seq: 62, poverty: L, skills: ['质检'], health: cleared('2020-02-19T10:00:00+08:00'), works: { region: '440306018', enterprise: 'gd-electronics' } },
  { key: 'gx-04', name: '杨光明', home: '450226103', birth: '19830925', seq: 17, poverty: P, skills: ['叉车'], health: cleared('2020-02-19T10:10:00+08:00'), works: { region: '440306018', enterprise: 'gd-electronics' } },
  { key: 'gx-05', name: '覃志强', home: '450222101', birth: '19900110', seq: 55, poverty: N, skills: ['电工'], health: cleared('2020-02-19T11:00:00+08:00') },
  { key: 'gx-06', name: '莫丽华', home: '450223102', birth: '19960603', seq: 82, poverty: N, skills: ['质检'], health: cleared('2020-02-19T11:30:00+08:00') },
  { key: 'gx-07', name: '蓝桂芳', home: '450223104', birth: '19890817', seq: 24, poverty: L, skills: ['电子装配'], health: cleared('2020-02-19T14:00:00+08:00') },
  { key: 'gx-08', name: '黄建新', home: '450222103', birth: '19810330', seq: 13, poverty: N, skills: ['焊工'], health: cleared('2020-02-19T14:30:00+08:00') },
  // Guangxi, Liuzhou (柳江): the bus to Guangzhou, on the road
  { key: 'gx-09', name: '韦金凤', home: '450206100', birth: '19930514', seq: 28, poverty: P, skills: ['缝纫'], health: cleared('2020-02-26T09:00:00+08:00') },
  { key: 'gx-10', name: '覃美玲', home: '450206102', birth: '19970921', seq: 44, poverty: N, skills: ['缝纫'], health: cleared('2020-02-26T09:10:00+08:00') },
  { key: 'gx-11', name: '黄德才', home: '450206103', birth: '19800101', seq: 19, poverty: P, skills: ['裁剪'], health: cleared('2020-02-26T09:30:00+08:00') },
  { key: 'gx-12', name: '莫振宇', home: '450206106', birth: '19910806', seq: 37, poverty: N, skills: ['仓储'], health: cleared('2020-02-26T10:00:00+08:00') },
  { key: 'gx-13', name: '梁小娟', home: '450206107', birth: '19980312', seq: 68, poverty: L, skills: ['缝纫'], health: cleared('2020-02-26T10:20:00+08:00') },
  // Guangxi, 融水: the cancelled bus to Foshan; they wait at home
  { key: 'gx-14', name: '潘世荣', home: '450225103', birth: '19860228', seq: 51, poverty: P, skills: ['注塑'], intent: { earliestDate: '2020-03-01', latestDate: '2020-03-10', destination: '440606', mode: 'BUS' } },
  { key: 'gx-15', name: '贾春梅', home: '450225104', birth: '19940415', seq: 26, poverty: P, skills: ['包装'], intent: { earliestDate: '2020-03-01', latestDate: '2020-03-10', destination: '440606', mode: 'BUS' } },
  // Guangxi: working near home (township, county, city)
  { key: 'gx-16', name: '蓝永福', home: '450225100', birth: '19780619', seq: 15, poverty: L, skills: ['木工'], works: { region: '450225100' } },
  { key: 'gx-17', name: '杨秀兰', home: '450225102', birth: '19880903', seq: 42, poverty: P, skills: ['茶叶加工'], works: { region: '450225100' } },
  { key: 'gx-18', name: '覃国庆', home: '450222101', birth: '19851001', seq: 73, poverty: N, skills: ['机修'], works: { region: '450202001', enterprise: 'gx-auto-parts' } },
  // Guangxi: at home, yellow code, test pending
  { key: 'gx-19', name: '吴建华', home: '450226105', birth: '19900523', seq: 39, poverty: N, skills: ['电子装配'], health: { code: 'YELLOW', testedAt: '2020-02-25T15:00:00+08:00', nucleicAcid: 'PENDING' }, intent: { earliestDate: '2020-03-05', latestDate: '2020-03-20', destination: '440306', mode: 'TRAIN' } },
  // Guangxi: asked back by a Beijing enterprise
  { key: 'gx-20', name: '韦丽萍', home: '450206108', birth: '19920117', seq: 84, poverty: N, skills: ['保洁'], intent: { earliestDate: '2020-03-02', latestDate: '2020-03-06', destination: '110112', mode: 'TRAIN' } },

  // Hebei, Handan (涉县): the bus to Chengdu
  { key: 'hb-01', name: '王建军', home: '130426103', birth: '19820311', seq: 35, poverty: N, skills: ['钢筋工'], health: cleared('2020-02-23T08:00:00+08:00') },
  { key: 'hb-02', name: '李红霞', home: '130426104', birth: '19900627', seq: 48, poverty: N, skills: ['厨师'], health: cleared('2020-02-23T08:10:00+08:00') },
  { key: 'hb-03', name: '张立新', home: '130426105', birth: '19790915', seq: 11, poverty: L, skills: ['瓦工'], health: cleared('2020-02-23T08:30:00+08:00') },
  { key: 'hb-04', name: '刘海涛', home: '130426106', birth: '19931204', seq: 57, poverty: N, skills: ['电焊'], health: cleared('2020-02-23T08:40:00+08:00') },
  // Hebei, Handan (武安): the bus to Yiwu, on the road
  { key: 'hb-05', name: '赵志刚', home: '130481101', birth: '19850708', seq: 23, poverty: N, skills: ['物流分拣'], health: cleared('2020-02-25T09:00:00+08:00') },
  { key: 'hb-06', name: '孙丽娜', home: '130481102', birth: '19960130', seq: 66, poverty: N, skills: ['电商客服'], health: cleared('2020-02-25T09:10:00+08:00') },
  { key: 'hb-07', name: '郝文斌', home: '130481103', birth: '19880419', seq: 45, poverty: P, skills: ['包装'], health: cleared('2020-02-25T09:20:00+08:00') },
  { key: 'hb-08', name: '冯玉梅', home: '130481104', birth: '19911122', seq: 82, poverty: N, skills: ['缝纫'], health: cleared('2020-02-25T09:30:00+08:00') },
  // Hebei, Handan (魏县): the bus to Dalian, planned
  { key: 'hb-09', name: '马国良', home: '130434101', birth: '19840502', seq: 13, poverty: P, skills: ['船舶焊接'], intent: { earliestDate: '2020-03-01', latestDate: '2020-03-05', destination: '210213', mode: 'BUS' } },
  { key: 'hb-10', name: '贾秀芝', home: '130434102', birth: '19920916', seq: 64, poverty: N, skills: ['水产加工'], intent: { earliestDate: '2020-03-01', latestDate: '2020-03-05', destination: '210213', mode: 'BUS' } },
  { key: 'hb-11', name: '牛振华', home: '130434103', birth: '19870224', seq: 39, poverty: N, skills: ['船舶焊接'], intent: { earliestDate: '2020-03-01', latestDate: '2020-03-05', destination: '210213', mode: 'BUS' } },
  // Hebei: the five daily flow classes
  { key: 'hb-12', name: '高玉兰', home: '130426101', birth: '19830803', seq: 28, poverty: N, skills: ['种植'], works: { region: '130426101' } },
  { key: 'hb-13', name: '杜长江', home: '130426102', birth: '19800715', seq: 51, poverty: N, skills: ['司机'], works: { region: '130426001' } },
  { key: 'hb-14', name: '崔明亮', home: '130426107', birth: '19890112', seq: 17, poverty: L, skills: ['炉前工'], works: { region: '130481100', enterprise: 'hb-wuan-steel' } },
  { key: 'hb-15', name: '任淑珍', home: '130434104', birth: '19940321', seq: 86, poverty: N, skills: ['酿酒'], works: { region: '130730100', enterprise: 'hb-huailai' } },
  // Hebei: asked back by Beijing enterprises, on the bus to Daxing
  { key: 'hb-16', name: '田建国', home: '130426102', birth: '19810928', seq: 33, poverty: N, skills: ['架子工'], health: cleared('2020-02-21T08:00:00+08:00'), works: { region: '110105003', enterprise: 'bj-build' } },
  { key: 'hb-17', name: '魏春燕', home: '130426103', birth: '19950506', seq: 40, poverty: N, skills: ['仓储'], health: cleared('2020-02-21T08:15:00+08:00'), works: { region: '110115004', enterprise: 'bj-logistics' } },

  // Henan, Zhoukou (沈丘, 郸城): the bus to Huailai
  { key: 'hn-01', name: '陈国强', home: '411624100', birth: '19860305', seq: 19, poverty: P, skills: ['酿酒'], health: cleared('2020-02-17T08:00:00+08:00'), works: { region: '130730100', enterprise: 'hb-huailai' } },
  { key: 'hn-02', name: '周桂兰', home: '411624101', birth: '19910618', seq: 62, poverty: N, skills: ['灌装'], health: cleared('2020-02-17T08:10:00+08:00'), works: { region: '130730100', enterprise: 'hb-huailai' } },
  { key: 'hn-03', name: '郭振东', home: '411624102', birth: '19820909', seq: 37, poverty: P, skills: ['叉车'], health: cleared('2020-02-17T08:20:00+08:00'), works: { region: '130730100', enterprise: 'hb-huailai' } },
  { key: 'hn-04', name: '孙晓燕', home: '411625101', birth: '19970211', seq: 88, poverty: N, skills: ['包装'], health: cleared('2020-02-17T08:30:00+08:00') },
  { key: 'hn-05', name: '马保国', home: '411625102', birth: '19790412', seq: 15, poverty: L, skills: ['葡萄种植'], health: cleared('2020-02-17T08:40:00+08:00') },
  { key: 'hn-06', name: '朱红梅', home: '411625103', birth: '19900730', seq: 46, poverty: P, skills: ['包装'], health: cleared('2020-02-17T08:50:00+08:00') },
  // Henan (郸城): asked back by Beijing enterprises
  { key: 'hn-07', name: '胡志勇', home: '411625001', birth: '19840816', seq: 53, poverty: N, skills: ['木工'], health: cleared('2020-02-22T08:00:00+08:00'), works: { region: '110105003', enterprise: 'bj-build' } },
  { key: 'hn-08', name: '谢丽娟', home: '411625002', birth: '19930923', seq: 24, poverty: N, skills: ['分拣'], intent: { earliestDate: '2020-03-03', latestDate: '2020-03-08', destination: '110115', mode: 'BUS' } },
  { key: 'hn-09', name: '袁大伟', home: '411625003', birth: '19880607', seq: 71, poverty: L, skills: ['油漆工'], health: cleared('2020-02-22T08:20:00+08:00') },
  // Henan, Anyang (林州), across the border from 涉县: joined the Hebei bus to Chengdu
  { key: 'hn-10', name: '秦玉山', home: '410581101', birth: '19810120', seq: 35, poverty: N, skills: ['钢筋工'], health: cleared('2020-02-23T07:30:00+08:00') },
  { key: 'hn-11', name: '石凤英', home: '410581102', birth: '19890504', seq: 62, poverty: P, skills: ['厨师'], health: cleared('2020-02-23T07:40:00+08:00') },
];

const returnRequests: DemoReturnRequest[] = [
  ...['gx-01', 'gx-02', 'gx-03', 'gx-04'].map((worker): DemoReturnRequest => ({
    key: `gd-electronics/${worker}`, enterprise: 'gd-electronics', worker, plannedReturnDate: '2020-02-20', departureRegion: '450200', onPost: true,
  })),
  ...['gx-09', 'gx-10', 'gx-11'].map((worker): DemoReturnRequest => ({
    key: `gd-garment/${worker}`, enterprise: 'gd-garment', worker, plannedReturnDate: '2020-02-27', departureRegion: '450206',
  })),
  ...['hn-01', 'hn-02', 'hn-03'].map((worker): DemoReturnRequest => ({
    key: `hb-huailai/${worker}`, enterprise: 'hb-huailai', worker, plannedReturnDate: '2020-02-18', departureRegion: '411624', onPost: true,
  })),
  { key: 'bj-build/hn-07', enterprise: 'bj-build', worker: 'hn-07', plannedReturnDate: '2020-02-23', departureRegion: '411625', onPost: true },
  { key: 'bj-build/hb-16', enterprise: 'bj-build', worker: 'hb-16', plannedReturnDate: '2020-02-22', departureRegion: '130426', onPost: true },
  { key: 'bj-logistics/hb-17', enterprise: 'bj-logistics', worker: 'hb-17', plannedReturnDate: '2020-02-22', departureRegion: '130426' },
  { key: 'bj-logistics/hn-08', enterprise: 'bj-logistics', worker: 'hn-08', plannedReturnDate: '2020-03-05', departureRegion: '411625' },
  { key: 'bj-property/gx-20', enterprise: 'bj-property', worker: 'gx-20', plannedReturnDate: '2020-03-04', departureRegion: '450206' },
];

const trips: DemoTrip[] = [
  {
    key: 'liuzhou-shenzhen-train', story: 'Guangxi special train (专列) from Liuzhou to Shenzhen, met and handed over to the enterprise',
    mode: 'TRAIN', vehicleCode: 'L1502', origin: '450204', destination: '440306',
    departureAt: '2020-02-20T10:00:00+08:00', expectedArrivalAt: '2020-02-20T19:30:00+08:00', capacity: 1200,
    passengers: ['gx-01', 'gx-02', 'gx-03', 'gx-04', 'gx-05', 'gx-06', 'gx-07', 'gx-08'],
    progress: { boarded: 'all', arrival: { arrivedAt: '2020-02-20T19:42:00+08:00', headcount: 8 }, handedOverTo: '宝安区西乡街道返岗接收点' },
  },
  {
    key: 'liuzhou-guangzhou-bus', story: 'Guangxi chartered bus from Liuzhou to Guangzhou, on the road, delayed',
    mode: 'BUS', vehicleCode: '桂B·D2017', origin: '450206', destination: '440113',
    departureAt: '2020-02-27T08:00:00+08:00', expectedArrivalAt: '2020-02-27T20:00:00+08:00', capacity: 45,
    passengers: ['gx-09', 'gx-10', 'gx-11', 'gx-12', 'gx-13'],
    progress: { boarded: 'all', newExpectedArrivalAt: '2020-02-27T21:30:00+08:00' },
  },
  {
    key: 'rongshui-foshan-bus', story: 'Guangxi bus cancelled: the receiving enterprise postponed its restart',
    mode: 'BUS', vehicleCode: '桂B·D3155', origin: '450225', destination: '440606',
    departureAt: '2020-02-24T07:30:00+08:00', expectedArrivalAt: '2020-02-24T18:00:00+08:00', capacity: 45,
    passengers: ['gx-14', 'gx-15'],
    progress: { cancelReason: '接收企业推迟复工' },
  },
  {
    key: 'shexian-chengdu-bus', story: 'Hebei chartered bus from Handan to Chengdu, arrived, awaiting hand-over; two Henan workers from Linzhou joined at the border',
    mode: 'BUS', vehicleCode: '冀D·K6218', origin: '130426', destination: '510116',
    departureAt: '2020-02-24T06:00:00+08:00', expectedArrivalAt: '2020-02-25T12:00:00+08:00', capacity: 39,
    passengers: ['hb-01', 'hb-02', 'hb-03', 'hb-04', 'hn-10', 'hn-11'],
    progress: { boarded: 'all', arrival: { arrivedAt: '2020-02-25T11:35:00+08:00', headcount: 6 } },
  },
  {
    key: 'wuan-yiwu-bus', story: 'Hebei chartered bus from Handan to Yiwu, on the road; one worker stayed behind',
    mode: 'BUS', vehicleCode: '冀D·K7305', origin: '130481', destination: '330782',
    departureAt: '2020-02-26T07:00:00+08:00', expectedArrivalAt: '2020-02-27T08:00:00+08:00', capacity: 39,
    passengers: ['hb-05', 'hb-06', 'hb-07', 'hb-08'],
    progress: { boarded: ['hb-05', 'hb-06', 'hb-07'] },
  },
  {
    key: 'weixian-dalian-bus', story: 'Hebei chartered bus from Handan to Dalian, planned',
    mode: 'BUS', vehicleCode: '冀D·K8120', origin: '130434', destination: '210213',
    departureAt: '2020-03-02T07:00:00+08:00', expectedArrivalAt: '2020-03-02T20:00:00+08:00', capacity: 39,
    passengers: ['hb-09', 'hb-10', 'hb-11'],
    progress: {},
  },
  {
    key: 'shexian-beijing-bus', story: 'Hebei bus taking workers filed by Beijing enterprises to Daxing',
    mode: 'BUS', vehicleCode: '冀D·K5106', origin: '130426', destination: '110115',
    departureAt: '2020-02-22T06:30:00+08:00', expectedArrivalAt: '2020-02-22T13:00:00+08:00', capacity: 39,
    passengers: ['hb-16', 'hb-17'],
    progress: { boarded: 'all', arrival: { arrivedAt: '2020-02-22T12:40:00+08:00', headcount: 2 }, handedOverTo: '大兴区亦庄返岗人员接收专班' },
  },
  {
    key: 'zhoukou-huailai-bus', story: 'Zhoukou (Henan) bus from Shenqiu and Dancheng to Huailai (Hebei), handed over',
    mode: 'BUS', vehicleCode: '豫P·J0916', origin: '411624', destination: '130730',
    departureAt: '2020-02-18T05:30:00+08:00', expectedArrivalAt: '2020-02-18T17:00:00+08:00', capacity: 45,
    passengers: ['hn-01', 'hn-02', 'hn-03', 'hn-04', 'hn-05', 'hn-06'],
    progress: { boarded: 'all', arrival: { arrivedAt: '2020-02-18T16:20:00+08:00', headcount: 6 }, handedOverTo: '怀来县沙城镇复工复产专班' },
  },
  {
    key: 'dancheng-beijing-bus', story: 'Zhoukou bus taking workers filed by a Beijing builder to Chaoyang',
    mode: 'BUS', vehicleCode: '豫P·J1203', origin: '411625', destination: '110105',
    departureAt: '2020-02-23T05:00:00+08:00', expectedArrivalAt: '2020-02-23T15:00:00+08:00', capacity: 45,
    passengers: ['hn-07', 'hn-09'],
    progress: { boarded: 'all', arrival: { arrivedAt: '2020-02-23T14:50:00+08:00', headcount: 2 }, handedOverTo: '朝阳区呼家楼街道复工专班' },
  },
];

/** The whole demo, in the order it is sent. */
export const DEMO_DATA: DemoData = { enterprises, workers, returnRequests, trips };
